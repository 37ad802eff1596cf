// KejinLink front-end glue. No inline scripts anywhere: pages stay CSP-clean.
// htmx sends the CSRF token from the hx-headers attribute on <body>.
