import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { waitFor } from './clients.js'

/** A mail as the local SMTP server received it. */
export interface ReceivedMail {
  from: string
  to: string[]
  subject: string
  text: string
}

/**
 * A real SMTP server on a loopback port that keeps every mail it receives, and asks senders to
 * sign in with `user` / `pass` (AUTH PLAIN or LOGIN over the plain connection, as a local relay would).
 */
export class Mailbox {
  readonly mails: ReceivedMail[] = []
  static readonly user = 'folio-mailer'
  static readonly pass = 'smtp-secret-password'

  private constructor(private readonly server: SMTPServer) {}

  static async start(): Promise<Mailbox> {
    let mailbox: Mailbox
    const server = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        if (auth.username === Mailbox.user && auth.password === Mailbox.pass) callback(null, { user: auth.username })
        else callback(new Error('wrong SMTP credentials'))
      },
      onData(stream, session, callback) {
        simpleParser(stream)
          .then((parsed) => {
            mailbox.mails.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
            })
            callback()
          })
          .catch(callback)
      },
    })
    mailbox = new Mailbox(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return mailbox
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port
  }

  /** The `settingSave` entries that point a Folio server at this mailbox. */
  settings(): { key: string; value: string }[] {
    return [
      { key: 'system.mailService.enabled', value: 'true' },
      { key: 'system.mailService.senderAddress', value: 'folio@example.test' },
      { key: 'system.mailService.smtp.host', value: '127.0.0.1' },
      { key: 'system.mailService.smtp.port', value: String(this.port) },
      { key: 'system.mailService.smtp.secure', value: 'false' },
      { key: 'system.mailService.smtp.auth.enabled', value: 'true' },
      { key: 'system.mailService.smtp.auth.user', value: Mailbox.user },
      { key: 'system.mailService.smtp.auth.pass', value: Mailbox.pass },
    ]
  }

  /** The mails to `address`, oldest first. */
  to(address: string): ReceivedMail[] {
    return this.mails.filter((mail) => mail.to.includes(address))
  }

  /** Waits for the `count`th mail to `address` and returns it. */
  async nth(address: string, count: number): Promise<ReceivedMail> {
    await waitFor(`mail ${count} to ${address}`, () => this.to(address).length >= count, 15_000)
    return this.to(address)[count - 1]!
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()))
  }
}

/** The token of the link in an account mail. */
export function linkToken(mail: ReceivedMail): string {
  const match = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text)
  if (!match) throw new Error(`no link with a token in: ${mail.text}`)
  return match[1]!
}
