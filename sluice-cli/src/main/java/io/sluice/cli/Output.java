package io.sluice.cli;

/** How a command prints what it got: tables and sentences for people, or the gateway's JSON for scripts. */
enum Output {
    table, json
}
