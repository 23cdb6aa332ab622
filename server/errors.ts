/** An error a caller can act on; `status` is its HTTP status and `message` is shown to the caller as is. */
export class FolioError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 429 | 502 | 503 | 504,
    message: string,
  ) {
    super(message)
    this.name = new.target.name
  }
}

export class InvalidInputError extends FolioError {
  constructor(message: string) {
    super(400, message)
  }
}

export class NotAuthenticatedError extends FolioError {
  constructor(message = 'not logged in: send a valid token') {
    super(401, message)
  }
}

export class ForbiddenError extends FolioError {
  constructor(message: string) {
    super(403, message)
  }
}

export class NotFoundError extends FolioError {
  constructor(message: string) {
    super(404, message)
  }
}

export class ConflictError extends FolioError {
  constructor(message: string) {
    super(409, message)
  }
}

export class PayloadTooLargeError extends FolioError {
  constructor(message: string) {
    super(413, message)
  }
}

export class RateLimitedError extends FolioError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, message)
  }
}

/** A system outside Folio (the NLP broker) cannot be reached now; trying again later may work. */
export class ServiceUnavailableError extends FolioError {
  constructor(message: string) {
    super(503, message)
  }
}

/** A system outside Folio did not answer in time. */
export class ServiceTimeoutError extends FolioError {
  constructor(message: string) {
    super(504, message)
  }
}

/** A system outside Folio (Moodle) answered a call with an error: the message says which and what to check. */
export class UpstreamRefusedError extends FolioError {
  constructor(message: string) {
    super(502, message)
  }
}
