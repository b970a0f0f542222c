import { z } from 'zod';

/**
 * The settings one part of the system (a subgraph) owns: the environment variables it reads and the
 * typed value it makes of them. The part defines it in its own folder and hands it to `loadConfig`,
 * so the kernel validates every variable at start without knowing whose it is.
 */
export interface ConfigSection<T> {
  readonly name: string;
  readonly variables: z.AnyZodObject;
  /** Makes the typed section of validated variables; throws a ConfigError for rules across variables. */
  read(values: Record<string, unknown>): T;
  /** This section in a loaded config; throws when it was not handed to `loadConfig`. */
  of(config: { sections: Readonly<Record<string, unknown>> }): T;
}

/** Defines a config section: `variables` validates the environment, `read` shapes the result. */
export function defineConfigSection<S extends z.AnyZodObject, T>(
  name: string,
  variables: S,
  read: (values: z.output<S>) => T,
): ConfigSection<T> {
  return {
    name,
    variables,
    read: (values) => read(values as z.output<S>),
    of: (config) => {
      if (!Object.hasOwn(config.sections, name)) {
        throw new Error(`The "${name}" config section was not registered: pass it to loadConfig.`);
      }
      return config.sections[name] as T;
    },
  };
}

/** Value shapes the kernel and the sections share. */
export const configValues = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  /** A whole number within bounds, with a default. */
  integer: (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback),
  optionalUrl: z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value))
    .pipe(z.string().url().optional())
    .optional(),
  /** Unset and empty both mean "not set". */
  optionalString: z
    .string()
    .trim()
    .transform((value) => (value === '' ? undefined : value))
    .optional(),
  flag: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0', ''])
      .optional()
      .transform((value) => (value === undefined || value === '' ? fallback : value === 'true' || value === '1')),
};
