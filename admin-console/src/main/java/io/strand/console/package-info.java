/**
 * The web console (DESIGN.md §7): a Jakarta REST API under {@code /api} over the admin client
 * ({@code io.strand.admin}), the login that decides what a user may do, and the web UI served beside it
 * from the WAR. Each HTTP session holds its own admin connection to the broker, authenticated as the user
 * who logged in; passwords are used once to open it and kept nowhere, in the browser or here.
 */
package io.strand.console;
