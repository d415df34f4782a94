/**
 * Strand's own conformance tests, one class per chapter or topic of the Jakarta Messaging 3.1
 * specification, for the features Strand has today. Each test names the section it checks and asserts
 * what the specification (or the API javadoc it defers to) requires; where the specification lets a
 * provider choose, the test says which choice Strand made. Tests whose behaviour depends on the wire run
 * over both transports ({@link io.strand.conformance.Transport}) against brokers started by
 * {@link io.strand.conformance.ConformanceBroker}. {@code docs/conformance.md} maps sections to classes and
 * lists Strand's deliberate deviations.
 */
package io.strand.conformance;
