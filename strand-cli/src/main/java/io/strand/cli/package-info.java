/**
 * {@code strand-admin}, the operator's command line (DESIGN.md §7): one picocli command per admin
 * call of {@link io.strand.admin.StrandAdmin}, printing human-readable tables by default and JSON
 * with {@code --output json}. Knows nothing of the broker's insides: it speaks the wire protocol only.
 */
package io.strand.cli;
