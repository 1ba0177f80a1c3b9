/**
 * The extension's James WebAdmin routes, listed in {@code conf/webadmin.properties} ({@code extensions.routes}):
 * the cached MTA-STS policies ({@link io.github.jamesmtasts.james.webadmin.PolicyRoutes}), the enforcement
 * switch and per-domain overrides ({@link io.github.jamesmtasts.james.webadmin.EnforcementRoutes}) and TLS-RPT
 * ({@link io.github.jamesmtasts.james.webadmin.TlsRptRoutes}). James creates them with Guice, so they share the
 * singletons of {@link io.github.jamesmtasts.james.MtaStsModule} with the delivery mailet.
 */
package io.github.jamesmtasts.james.webadmin;
