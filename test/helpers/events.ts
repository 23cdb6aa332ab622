import WebSocket from 'ws'
import type { Answer, EventsPush, EventsServerFrame } from '../../schema/index.js'
import type { FolioServer } from '../../server/index.js'
import { waitFor } from './clients.js'

type Row = Record<string, unknown>

/** One `/events` websocket: calls as `{id, event, data}` frames, and every push it received. */
export class EventsConnection {
  /** Every frame's raw text, to search for secrets. */
  readonly texts: string[] = []
  readonly pushes: EventsPush[] = []
  private readonly answers = new Map<number, Answer>()
  private nextId = 1

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw: Buffer) => {
      const text = raw.toString()
      this.texts.push(text)
      const frame = JSON.parse(text) as EventsServerFrame
      if ('success' in frame) this.answers.set(frame.id as number, frame)
      else this.pushes.push(frame)
    })
  }

  static async open(server: FolioServer, token: string): Promise<EventsConnection> {
    const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/events?token=${token}`)
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
    return new EventsConnection(ws)
  }

  async call<T = unknown>(event: string, data?: unknown): Promise<Answer<T>> {
    const id = this.nextId++
    this.ws.send(JSON.stringify({ id, event, data }))
    await waitFor(`the answer to ${event}`, () => this.answers.has(id))
    return this.answers.get(id) as Answer<T>
  }

  /** Calls `event` and returns its data, failing the test with the server's message otherwise. */
  async ok<T = unknown>(event: string, data?: unknown): Promise<T> {
    const answer = await this.call<T>(event, data)
    if (!answer.success) throw new Error(`${event} failed: ${answer.message}`)
    return answer.data
  }

  /** Every row received in `<table>Refresh` pushes, in order. */
  rowsOf(table: string): Row[] {
    return this.pushes.filter((push) => push.event === `${table}Refresh`).flatMap((push) => push.data as Row[])
  }

  async waitForRow(table: string, what: string, matches: (row: Row) => boolean): Promise<Row> {
    await waitFor(`${what} in ${table}Refresh`, () => this.rowsOf(table).some(matches))
    return this.rowsOf(table).find(matches)!
  }
}

