/** Many docs over one websocket (`/mux`): the shared socket and the channel sockets providers ride. */
export { SharedDocSocket, type SharedDocSocketOptions } from './SharedDocSocket.js'
export { MuxChannelSocket } from './MuxChannelSocket.js'
