import type { MoodleConfig } from '../config.js'
import { PayloadTooLargeError, ServiceTimeoutError, ServiceUnavailableError, UpstreamRefusedError } from '../errors.js'
import { type MoodleValue, restParameters } from './restParameters.js'

/** The Moodle site and web-service token the calls go to (from the admin settings, see `moodleSettings.ts`). */
export interface MoodleConnection {
  /** The site's address without a trailing slash, e.g. `https://moodle.example.org`. */
  url: string
  token: string
}

const restEndpoint = '/webservice/rest/server.php'
/** Where Moodle's web services serve files: the `fileurl` of every file in their answers points here. */
const fileEndpoint = '/webservice/pluginfile.php/'

/** What to check for the error codes Moodle answers most; any other code is answered with Moodle's own message. */
const errorHints: Record<string, string> = {
  invalidtoken: 'set rpc.moodleAPI.apiKey to a valid web-service token of the site',
  accessexception: "add the function to the external service of the token and give the token's user the capabilities it needs",
  webservice_access_exception: "add the function to the external service of the token and give the token's user the capabilities it needs",
  nopermissions: "give the token's Moodle user the capability it names",
  requireloginerror: "the token's Moodle user must be enrolled in the course (or be a manager)",
  invalidparameter: 'Moodle did not accept the parameters sent; check the course and assignment ids',
  invalidrecord: 'the course or assignment does not exist on the Moodle site',
  invalidrecordunknown: 'the course or assignment does not exist on the Moodle site',
}

/** Moodle answered a call with its error structure (`{exception, errorcode, message}`, with HTTP 200). */
export class MoodleRefusedError extends UpstreamRefusedError {
  constructor(
    readonly wsfunction: string,
    readonly errorcode: string,
    moodleMessage: string,
  ) {
    const hint = errorHints[errorcode]
    super(`Moodle refused ${wsfunction} (${errorcode}): ${moodleMessage}${hint ? `; ${hint}` : ''}`)
  }
}

/**
 * A client of one Moodle site's web services over their REST protocol: every call is a POST of
 * a form to `/webservice/rest/server.php` with `wstoken`, `wsfunction`, `moodlewsrestformat=json`
 * and the function's parameters in Moodle's bracket encoding. The token travels in bodies and in
 * file requests only, and no message built here names the site or the token: the answers reach
 * callers who are not admins, and errors may be logged.
 */
export class MoodleClient {
  constructor(
    private readonly connection: MoodleConnection,
    private readonly limits: MoodleConfig,
  ) {}

  /** Calls `wsfunction` and answers its JSON result (unchecked: callers parse it). */
  async call(wsfunction: string, params: Readonly<Record<string, MoodleValue>> = {}): Promise<unknown> {
    const body = restParameters(params, new URLSearchParams({ wstoken: this.connection.token, wsfunction, moodlewsrestformat: 'json' }))
    const response = await this.send(`${this.connection.url}${restEndpoint}`, wsfunction, this.limits.requestTimeoutMs, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body,
    })
    const text = (await readLimited(response, this.limits.maxResponseBytes, wsfunction, this.limits.requestTimeoutMs)).toString('utf8')
    let answer: unknown
    try {
      answer = JSON.parse(text)
    } catch {
      throw new UpstreamRefusedError(`Moodle's answer to ${wsfunction} is not JSON: check that rpc.moodleAPI.apiUrl is the address of the Moodle site and that its REST protocol is enabled`)
    }
    throwIfMoodleError(wsfunction, answer)
    return answer
  }

  /**
   * The bytes of a file a web-service answer listed (`fileurl`), fetched with the token, at most
   * `maxBytes` of them. Only files of the configured site's file endpoint are fetched: the token
   * goes nowhere else.
   */
  async download(fileUrl: string, fileName: string, maxBytes: number): Promise<Buffer> {
    const site = new URL(this.connection.url)
    const url = URL.canParse(fileUrl) ? new URL(fileUrl) : null
    const sitePath = site.pathname.replace(/\/+$/, '')
    if (!url || url.origin !== site.origin || !url.pathname.startsWith(`${sitePath}${fileEndpoint}`)) {
      throw new UpstreamRefusedError(`Moodle listed the file ${fileName} outside its web-service file endpoint; it is not downloaded`)
    }
    url.searchParams.set('token', this.connection.token)
    const what = `the download of ${fileName}`
    const response = await this.send(url.href, what, this.limits.downloadTimeoutMs, { method: 'GET' })
    const bytes = await readLimited(response, maxBytes, what, this.limits.downloadTimeoutMs)
    // An error of the file endpoint (a bad token, a missing file) comes as JSON instead of the file.
    if (/json/i.test(response.headers.get('content-type') ?? '')) {
      let answer: unknown = null
      try {
        answer = JSON.parse(bytes.toString('utf8'))
      } catch {
        // A JSON file handed in: kept as it is.
      }
      throwIfMoodleError(what, answer)
    }
    return bytes
  }

  private async send(url: string, what: string, timeoutMs: number, init: RequestInit): Promise<Response> {
    let response: Response
    try {
      response = await fetch(url, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) })
    } catch (error) {
      throw connectionError(error, what, timeoutMs)
    }
    if (!response.ok) {
      await response.body?.cancel()
      throw new UpstreamRefusedError(`Moodle answered ${what} with HTTP ${response.status}: check that rpc.moodleAPI.apiUrl is the address of the Moodle site`)
    }
    return response
  }
}

/** Moodle's error structure, as the REST server and the file endpoint answer it (the latter with `error` for `message`). */
function throwIfMoodleError(what: string, answer: unknown): void {
  if (!answer || typeof answer !== 'object' || Array.isArray(answer)) return
  const fields = answer as Record<string, unknown>
  if (typeof fields.errorcode !== 'string' || !('exception' in fields || 'error' in fields)) return
  const message = typeof fields.message === 'string' ? fields.message : typeof fields.error === 'string' ? fields.error : 'no message'
  throw new MoodleRefusedError(what, fields.errorcode, message)
}

/** A failed request as the caller can act on it: a timeout, or the site not reachable (by its error code, never its address). */
function connectionError(error: unknown, what: string, timeoutMs: number): Error {
  if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
    return new ServiceTimeoutError(`Moodle did not answer ${what} within ${Math.round(timeoutMs / 1000)} s; try again, or raise FOLIO_MOODLE_TIMEOUT_MS or FOLIO_MOODLE_DOWNLOAD_TIMEOUT_MS`)
  }
  const cause = (error as { cause?: { code?: unknown } }).cause
  const code = typeof cause?.code === 'string' ? ` (${cause.code})` : ''
  return new ServiceUnavailableError(`the Moodle site cannot be reached${code}: check rpc.moodleAPI.apiUrl and that the site is up`)
}

/** The response's body, refused once it passes `maxBytes` (a timeout while reading counts as Moodle not answering). */
async function readLimited(response: Response, maxBytes: number, what: string, timeoutMs: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel()
    throw tooLarge(what, maxBytes)
  }
  const chunks: Uint8Array[] = []
  let size = 0
  const reader = response.body?.getReader()
  try {
    for (let read = await reader?.read(); read && !read.done; read = await reader!.read()) {
      size += read.value.byteLength
      if (size > maxBytes) {
        await reader!.cancel()
        throw tooLarge(what, maxBytes)
      }
      chunks.push(read.value)
    }
  } catch (error) {
    if (error instanceof PayloadTooLargeError) throw error
    throw connectionError(error, what, timeoutMs)
  }
  return Buffer.concat(chunks)
}

function tooLarge(what: string, maxBytes: number): PayloadTooLargeError {
  return new PayloadTooLargeError(`${what} has more than ${maxBytes} bytes, the most Folio takes (FOLIO_MAX_UPLOAD_BYTES for files, FOLIO_MOODLE_MAX_RESPONSE_BYTES for answers)`)
}
