//! Integration tests: the `termbridge` binary and the HTTP service, end to end.
//! One binary, a module per area (STYLE.md).

mod audit;
mod cli;
mod crash;
mod formats;
mod hostile;
mod http;
mod support;
mod terms;
mod tm;
