/**
 * The Strand wire protocol, shared by the client and the broker (DESIGN.md §4).
 *
 * <p>Every frame is {@code int32 length | int16 api | int16 version | int32 correlationId | body},
 * big-endian; the length counts the bytes after itself. A connection starts with a handshake that
 * settles the protocol version. Requests are pipelined: a client may send many before the first
 * response, and matches responses by correlation id. Consumer deliveries are pushed by the broker
 * under credit. Every response body starts with an {@link io.strand.protocol.ErrorCode} and an
 * optional message; the codes are stable on the wire, their names may change. A response with an
 * error holds nothing but that status, whatever its api, so a broker can answer any request it
 * could frame with one generic error response; the one exception is a handshake answered
 * {@link io.strand.protocol.ErrorCode#NOT_LEADER}, which names the broker that serves clients now
 * ({@link io.strand.protocol.Handshake.Response#notLeader}).
 *
 * <p>Decoding trusts nothing: every length is checked against the frame and a configured maximum
 * ({@link io.strand.protocol.FrameReader}), and a malformed frame raises
 * {@link io.strand.protocol.MalformedFrameException}, never an index or memory error.
 */
package io.strand.protocol;
