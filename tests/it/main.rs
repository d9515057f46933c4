//! Integration tests: the `termbridge` binary and the HTTP service, end to end.
//! One binary, a module per area (STYLE.md).

mod api;
mod audit;
mod browser;
mod cli;
mod compat;
mod crash;
mod faults;
mod formats;
mod hostile;
mod http;
mod layering;
mod load;
mod monitor;
mod monitor_api;
mod monitor_crawl;
mod monitor_tls;
mod ops;
mod security;
mod snapshots;
mod sources;
mod support;
mod terms;
mod tm;
mod uploads;
