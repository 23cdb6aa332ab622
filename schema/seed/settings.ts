/** Settings every installation starts with; `onlyAdmin` ones never reach other users. */
export const defaultSettings: readonly { key: string; value: string; type: string; description: string; onlyAdmin: boolean }[] = [
  { key: 'app.register.enabled', value: 'true', type: 'boolean', description: 'Allow self-registration at /auth/register', onlyAdmin: false },
  { key: 'app.register.requestName', value: 'true', type: 'boolean', description: 'Ask for first and last name at registration', onlyAdmin: false },
  { key: 'app.login.guest', value: 'false', type: 'boolean', description: 'Offer a guest login', onlyAdmin: false },
  { key: 'annotator.collab', value: 'true', type: 'boolean', description: 'Show who else is editing', onlyAdmin: false },
  { key: 'editor.edits.debounceTime', value: '150', type: 'number', description: 'Editor debounce in ms', onlyAdmin: false },
  { key: 'system.mailService.smtp.auth.pass', value: '', type: 'string', description: 'SMTP password', onlyAdmin: true },
]
