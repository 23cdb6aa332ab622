/** The setting that lets clients write to the log table (`log` event); off unless an admin turns it on. */
export const clientLoggingSetting = 'app.logging.allowClients'

/** Settings of what is recorded, added at start where missing. */
export const recordSettings: readonly { key: string; value: string; type: string; description: string; onlyAdmin: boolean }[] = [
  { key: clientLoggingSetting, value: 'false', type: 'boolean', description: 'Store what clients send with the log event in the log table', onlyAdmin: false },
]
