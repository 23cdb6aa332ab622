/** Every RPC and HTTP answer: `{success: true, data}`, or `{success: false, message}` saying what went wrong. */
export type Answer<Data = unknown> = { success: true; data: Data } | { success: false; message: string }
