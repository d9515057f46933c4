//! The `termbridge` binary: parse the command line, run the command, map the outcome to an
//! exit code (0 ok, 1 findings of severity error, 2 bad input or usage, 3 internal error).

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    termbridge::workspace::limit_allocator_arenas();
    // reqwest is built with rustls but without a provider of its own; clients not given a TLS
    // configuration (the backup client) take the process default, and panic without one.
    termbridge::monitor::crawl::install_default_provider();
    cli::main()
}
