import { useState } from 'react';
import { useToaster } from '../components/toast';
import { serverFieldErrors } from './graphql-errors';

export interface EditDialogOptions<Row, Values> {
  create(values: Values): Promise<unknown>;
  update(row: Row, values: Values): Promise<unknown>;
  /** The toast after a save, e.g. `Ad “Banner” created`. */
  savedTitle(values: Values, created: boolean): string;
}

/**
 * The create-or-edit dialog of a list page (upsells, ads): which row it edits (`'new'` for a new
 * one), and its save, which closes the dialog on success and returns the server's field errors
 * for the form otherwise.
 */
export function useEditDialog<Row, Values>({ create, update, savedTitle }: EditDialogOptions<Row, Values>) {
  const toaster = useToaster();
  const [editing, setEditing] = useState<Row | 'new' | null>(null);

  const save = async (values: Values) => {
    try {
      if (editing === 'new') await create(values);
      else if (editing !== null) await update(editing, values);
      toaster.notify({ title: savedTitle(values, editing === 'new') });
      setEditing(null);
      return { fields: {}, other: [] };
    } catch (failure) {
      return serverFieldErrors(failure);
    }
  };

  return { editing, setEditing, close: () => setEditing(null), save };
}
