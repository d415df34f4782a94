/**
 * The application deployed into Payara Micro by the integration tests: message-driven beans bound to the Strand
 * resource adapter, an EJB that sends through the adapter's connection factory in container transactions, and a
 * small REST API through which the tests drive it and read what the beans received.
 */
package io.strand.itests.app;
