// The CLI's version, in a module of its own: `engagement-desk --version` answers from here before anything else loads.
export const CLI_VERSION = '0.1.0';
