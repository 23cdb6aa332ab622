/** Outgoing mail: `Mailer` sends over SMTP as the `system.mailService.*` settings say. */
export { MailDisabledError, type MailMessage, Mailer } from './Mailer.js'
