import { type DeltaOp, type PadAccess, padDoc, padDocName, type ProtocolCommand } from '../../schema/index.js'
import type { Logger, SyncEngine } from '../../sync/index.js'
import { newSecret, newSecretAsync } from '../auth/index.js'
import { errorPayload, type LiveParticipant, type LiveRoom, type NewPadSession, type RoomAssets, type RoomPad, type RoomPads, type RoomStore, SignalingError, StorageQuotaExceededError, type Unfinished } from '../rooms/index.js'
import { type PadPdfInput, padPdfFilename } from './padPdf.js'

/** The pad's lifecycle. A failed initialisation returns to `not_initialized`; it is not a state. */
export type PadState = 'not_initialized' | 'initializing' | 'initialized'

export interface PadDeps {
  store: RoomStore
  assets: RoomAssets
  /** The engine the pad doc lives in: its content for PDFs, live revocation of access, deletion with its room. */
  engine: Pick<SyncEngine, 'read' | 'restrictConnections' | 'deleteDoc'>
  /** Renders the pad to PDF (off the event loop: `PdfRenderer`). */
  renderPdf(input: PadPdfInput): Promise<Buffer>
  /** Base of the URLs participants get, e.g. `https://folio.example.org`. */
  publicUrl: () => string
  log: Logger
}

/** The pads of all rooms, as `LiveRooms` takes them: one `PadModule` per room someone is in, and the pad doc deleted with its room. */
export function padModules(deps: PadDeps): RoomPads {
  return {
    open: (room, onSettled) => new PadModule(room, deps, onSettled),
    delete: (roomId) => deps.engine.deleteDoc(padDocName(roomId), 'pad session ended: the room was deleted'),
  }
}

// Errors of the pad's commands go out in the `protocol` namespace, the name clients know it by.
const protocolError = (kind: string, detail: string) => new SignalingError('protocol', kind, detail)

/**
 * The pad of one room, spoken to in the `protocol` namespace: moderators pick writers of the pad
 * `pad:<roomId>`; every participant holds one pad session (read or write) whose URL they are sent;
 * a session ends when its participant leaves, is deselected (replaced by a read session) or the
 * room ends, and the sync connections it opened follow at once.
 */
export class PadModule implements RoomPad {
  private state: PadState
  /** The room's PDF being made: a `generate_pdf` meanwhile shares it instead of queueing another render. */
  private pdfInFlight: Promise<void> | null = null

  constructor(
    private readonly room: LiveRoom,
    private readonly deps: PadDeps,
    /** Called when background work (initialisation, a PDF) ends, so an empty room can be released. */
    private readonly onSettled: () => void,
  ) {
    this.state = room.info.padCreatedAt ? 'initialized' : 'not_initialized'
    // Who writes is the moderators' business: only moderators see it.
    room.addPeerData('protocol', (participant, viewer) =>
      viewer.role === 'moderator' && participant.padAccess !== null ? { readonly: participant.padAccess === 'read' } : undefined,
    )
  }

  /** What `join_success` carries for the module, so a client that missed its URL knows the pad's state. */
  get frontendData(): { status: PadState } {
    return { status: this.state }
  }

  /** Work still running that will write to the room: forgetting the room now would fork its state. */
  get isBusy(): boolean {
    return this.state === 'initializing' || this.pdfInFlight !== null
  }

  /**
   * A command in its turn in the room's queue. Creating the pad and making a PDF go on past that
   * turn (what they leave running is returned): commands meanwhile find the pad `initializing`,
   * or share the PDF being made.
   */
  async handle(command: ProtocolCommand, sender: LiveParticipant): Promise<Unfinished | void> {
    if (sender.role !== 'moderator') throw protocolError('insufficient_permissions', `only moderators may ${command.action.replace('_', ' ')}`)
    switch (command.action) {
      case 'select_writer':
        return this.selectWriters(this.participantsOf(command.participant_ids))
      case 'deselect_writer':
        this.requireInitialised()
        return this.deselectWriters(this.participantsOf(command.participant_ids))
      case 'generate_pdf':
        if (this.state !== 'initialized') throw protocolError('not_initialized', 'the pad is not initialised yet: select a writer first')
        this.pdfInFlight ??= this.generatePdf().finally(() => {
          this.pdfInFlight = null
          this.onSettled()
        })
        return { done: this.pdfInFlight }
    }
  }

  /**
   * A participant is joining: once the pad exists they get a session (write again if they were a
   * writer when they left) before the others hear of them, so `joined` carries their access. The
   * URL goes out with `sendUrl` after `join_success`. Null before the pad exists or when the
   * session could not be stored (logged; the participant is told after `join_success`).
   */
  async sessionForJoiner(participant: LiveParticipant, previousAccess: PadAccess | null): Promise<NewPadSession | { failed: true } | null> {
    if (this.state !== 'initialized') return null
    const session = { participantId: participant.id, secret: newSecret(), access: previousAccess === 'write' ? ('write' as const) : ('read' as const) }
    try {
      await this.deps.store.replaceSessions(this.room.info.id, [session])
    } catch (error) {
      this.deps.log.error('protocol.session_failed', { room: this.room.info.id, error: String(error) })
      return { failed: true }
    }
    participant.padAccess = session.access
    return session
  }

  /** Sends a joiner the URL of the session `sessionForJoiner` made, or the error if it failed. */
  sendJoinerUrl(participant: LiveParticipant, session: NewPadSession | { failed: true } | null): void {
    if (session === null) return
    if ('failed' in session) this.room.send(participant, 'protocol', errorPayload(protocolError('failed_to_generate_url', 'your pad link could not be created; ask a moderator to select you again')))
    else this.sendUrl(participant, session)
  }

  /** A participant left: their session is gone, and their pad connections close now. */
  left(participant: LiveParticipant): void {
    this.deps.engine.restrictConnections(padDocName(this.room.info.id), participant.id, null, 'pad session ended: the participant left the room')
  }

  private async selectWriters(targets: LiveParticipant[]): Promise<Unfinished | void> {
    if (this.state === 'initializing') throw protocolError('currently_initializing', 'the pad is being initialised; try again in a moment')
    if (this.state === 'not_initialized') return { done: this.initialise(targets) }
    await this.giveAccess(
      targets.filter((target) => target.padAccess !== 'write'),
      'write',
    )
  }

  private deselectWriters(targets: LiveParticipant[]): Promise<void> {
    return this.giveAccess(
      targets.filter((target) => target.padAccess === 'write'),
      'read',
    )
  }

  /**
   * Lazily creates the pad: every participant present gets a session, the selected ones to write.
   * The secrets are made first, outside the room's queue; the sessions are chosen and stored in a
   * turn of their own there, so no join or leave falls between them and the pad's new state.
   */
  private async initialise(writers: LiveParticipant[]): Promise<void> {
    this.state = 'initializing'
    try {
      const secrets = new Map<string, string>()
      await Promise.all([...this.room.participants.keys()].map(async (id) => secrets.set(id, await newSecretAsync()))).catch((error: unknown) =>
        this.initialisationFailed(error),
      )
      await this.room.queue.run(() => this.createPad(writers, secrets))
    } finally {
      this.onSettled()
    }
  }

  private async createPad(writers: LiveParticipant[], secrets: Map<string, string>): Promise<void> {
    const writerIds = new Set(writers.map((writer) => writer.id))
    // Whoever joined or left while the secrets were made: everyone present now gets a session.
    const sessions: NewPadSession[] = [...this.room.participants.values()].map((participant) => ({
      participantId: participant.id,
      secret: secrets.get(participant.id) ?? newSecret(),
      access: writerIds.has(participant.id) ? 'write' : 'read',
    }))
    try {
      await this.deps.store.replaceSessions(this.room.info.id, sessions, true)
    } catch (error) {
      this.initialisationFailed(error)
    }
    this.state = 'initialized'
    for (const session of sessions) {
      const participant = this.room.participants.get(session.participantId)
      if (participant) this.deliver(participant, session)
    }
  }

  private initialisationFailed(error: unknown): never {
    this.state = 'not_initialized'
    this.deps.log.error('protocol.init_failed', { room: this.room.info.id, error: String(error) })
    throw protocolError('failed_initialization', 'the pad could not be created; nothing was changed, select the writers again to retry')
  }

  /**
   * Replaces each target's session with a new one of `access`. Taking write access away applies,
   * as soon as the sessions are replaced, to every pad connection the participant has open,
   * whichever session opened it.
   */
  private async giveAccess(targets: LiveParticipant[], access: PadAccess): Promise<void> {
    if (targets.length === 0) return
    const sessions = targets.map((target) => ({ participantId: target.id, secret: newSecret(), access }))
    await this.deps.store.replaceSessions(this.room.info.id, sessions)
    if (access === 'read') {
      for (const target of targets) this.deps.engine.restrictConnections(padDocName(this.room.info.id), target.id, 'read', 'write access revoked by a moderator')
    }
    for (const [index, target] of targets.entries()) this.deliver(target, sessions[index]!)
  }

  /** Sends the participant their URL and tells the moderators their new access. */
  private deliver(participant: LiveParticipant, session: NewPadSession): void {
    participant.padAccess = session.access
    this.sendUrl(participant, session)
    this.room.announceUpdate(participant, (viewer) => viewer.role === 'moderator')
  }

  private sendUrl(participant: LiveParticipant, session: NewPadSession): void {
    this.room.send(participant, 'protocol', { message: session.access === 'write' ? 'write_url' : 'read_url', url: this.urlOf(session.secret) })
  }

  private urlOf(secret: string): string {
    const query = new URLSearchParams({ sessionID: secret, padName: 'protocol', groupID: this.room.info.id })
    return `${this.deps.publicUrl()}/auth_session?${query}`
  }

  private async generatePdf(): Promise<void> {
    const { info } = this.room
    const generatedAt = new Date()
    try {
      const content = this.deps.engine.read(padDocName(info.id), (doc) => doc.getText(padDoc.text).toDelta() as DeltaOp[])
      const bytes = await this.deps.renderPdf({ title: 'Meeting protocol', roomTitle: info.title, generatedAt, content })
      const filename = padPdfFilename(generatedAt)
      const saved = await this.deps.assets.save(info.id, 'protocol_pdf', filename, bytes)
      this.room.sendToEach('protocol', () => ({ message: 'pdf_asset', filename, asset_id: saved.id }))
    } catch (error) {
      if (error instanceof StorageQuotaExceededError) throw protocolError('storage_exceeded', error.message)
      this.deps.log.error('protocol.pdf_failed', { room: info.id, error: String(error) })
      throw protocolError('internal_storage', 'the PDF could not be generated or stored; try again')
    }
  }

  private requireInitialised(): void {
    if (this.state === 'initializing') throw protocolError('currently_initializing', 'the pad is being initialised; try again in a moment')
    if (this.state === 'not_initialized') throw protocolError('not_initialized', 'the pad is not initialised yet: select a writer first')
  }

  /** The joined participants `ids` name (duplicates once); any unknown, absent or malformed id refuses the whole command. */
  private participantsOf(ids: readonly string[]): LiveParticipant[] {
    const unique = [...new Set(ids)]
    if (unique.length === 0) throw protocolError('invalid_participant_selection', 'participant_ids is empty')
    const missing = unique.filter((id) => !this.room.participants.has(id))
    if (missing.length > 0) throw protocolError('invalid_participant_selection', `not in the room: ${missing.join(', ')}`)
    return unique.map((id) => this.room.participants.get(id)!)
  }
}
