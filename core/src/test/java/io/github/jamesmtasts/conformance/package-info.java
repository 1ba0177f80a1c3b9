/**
 * The conformance corpus of the tests: the shared cases of {@code shared/conformance/} (from mox and the RFCs)
 * and the project's own ({@code project_*.json}), read one way for every test that plays them.
 */
package io.github.jamesmtasts.conformance;
