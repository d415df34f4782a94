/**
 * The console's pages as plain Java: {@link io.strand.console.view.BrokerViews} joins the admin api's
 * answers per destination and partition into {@link io.strand.console.view.Views}, and
 * {@link io.strand.console.view.ThroughputHistory} turns successive answers into message rates. Imports
 * no Jakarta type, so it is tested against a real broker without a server.
 */
package io.strand.console.view;
