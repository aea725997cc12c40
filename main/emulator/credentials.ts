// The Sandbox credentials: published test values, not secrets. Kept apart from the server so that code which only
// needs to name them (the Sandbox profile) does not load the emulator.
export interface EmulatorUser {
  username: string;
  password: string;
}

export const SANDBOX_USERS: EmulatorUser[] = [{ username: 'sandbox', password: 'sandbox' }];
export const SANDBOX_API_KEY = 'sandbox-app-api-key';
