// passContent, the text part of /message/pass/import and /import/update (engagement-api.md B2): the schema and
// the form's defaults (pass-content-schema.ts), the check the form, the CLI and main all run (pass-content-check.ts)
// and the JSON text form (pass-content-json.ts), behind this one module.
export { NOTIFICATION_CHANNELS } from '../../preload/contract';
export type { NotificationChannel, PassContentDetails } from '../../preload/contract';
export * from './pass-content-schema';
export { checkPassContent } from './pass-content-check';
export { findJsonSyntaxError, parsePassContentJson, serializePassContent } from './pass-content-json';
