import { SeedFile } from '../kernel/contracts/platform-records';
import platform from './platform.json';

/** The contract's example fixture: users, organizations, events, sessions and registrations. */
export const demoPlatform = SeedFile.parse(platform);
