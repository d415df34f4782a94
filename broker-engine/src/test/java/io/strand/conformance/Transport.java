package io.strand.conformance;

/** The two ways a client reaches a broker; end-to-end conformance tests run over both. */
enum Transport {
    /** {@code strand://127.0.0.1:port} to a broker listening on a socket. */
    TCP,
    /** {@code vm://name}: a broker embedded in the test's JVM. */
    VM
}
