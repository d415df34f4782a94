/**
 * Process plumbing shared by every JVM of the JMS system benchmark, in plain JDK code (each JVM has a
 * different classpath): {@link io.strand.bench.jms.process.OrphanGuard} ends a child JVM whose parent
 * went away, {@link io.strand.bench.jms.process.CpuWindow} measures where the CPU went while a workload ran,
 * {@link io.strand.bench.jms.process.Flags} reads {@code --name value} arguments.
 */
package io.strand.bench.jms.process;
