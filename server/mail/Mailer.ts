import { like } from 'drizzle-orm'
import nodemailer from 'nodemailer'
import { type FolioDatabase, setting } from '../../schema/db/index.js'

/** A plain-text mail to one recipient. */
export interface MailMessage {
  to: string
  subject: string
  text: string
}

/** The mail service is switched off (`system.mailService.enabled`), so nothing can be sent. */
export class MailDisabledError extends Error {
  constructor() {
    super('the mail service is disabled: set system.mailService.enabled and the system.mailService.smtp.* settings')
    this.name = 'MailDisabledError'
  }
}

const settingsPrefix = 'system.mailService.'

/**
 * Sends mail over SMTP with nodemailer, configured by the `system.mailService.*` settings. They
 * are read at every send, so an administrator's change applies to the next mail without a
 * restart; `timeoutMs` bounds connecting, the greeting and every later wait on the server.
 */
export class Mailer {
  constructor(
    private readonly db: FolioDatabase,
    private readonly timeoutMs: number,
  ) {}

  /** Hands `message` to the SMTP server; throws MailDisabledError, or what the SMTP exchange failed with. */
  async send(message: MailMessage): Promise<void> {
    const rows = await this.db.select({ key: setting.key, value: setting.value }).from(setting).where(like(setting.key, `${settingsPrefix}%`))
    const value = (key: string) => rows.find((row) => row.key === settingsPrefix + key)?.value ?? ''
    if (value('enabled') !== 'true') throw new MailDisabledError()
    const transport = nodemailer.createTransport({
      host: value('smtp.host'),
      port: Number(value('smtp.port')),
      secure: value('smtp.secure') === 'true',
      auth: value('smtp.auth.enabled') === 'true' ? { user: value('smtp.auth.user'), pass: value('smtp.auth.pass') } : undefined,
      connectionTimeout: this.timeoutMs,
      greetingTimeout: this.timeoutMs,
      socketTimeout: this.timeoutMs,
    })
    try {
      await transport.sendMail({ from: value('senderAddress'), to: message.to, subject: message.subject, text: message.text })
    } finally {
      transport.close()
    }
  }
}
