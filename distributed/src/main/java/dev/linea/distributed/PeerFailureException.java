package dev.linea.distributed;

import java.io.IOException;

/**
 * A collective could not complete because a peer rank died, closed its connection, or sent nothing within
 * the group's timeout. The message names the peer's rank and address; the group is closed and unusable
 * afterwards, and closing it makes the failure reach this rank's own neighbours at once.
 */
public final class PeerFailureException extends IOException {
    private final int peer;

    PeerFailureException(int peer, String message, Throwable cause) {
        super(message, cause);
        this.peer = peer;
    }

    /** The rank that failed. */
    public int peer() {
        return peer;
    }
}
