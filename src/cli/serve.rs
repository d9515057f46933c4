//! `termbridge serve`: the HTTP service's start-up (open the data directory behind a
//! not-ready router, then serve), its address file, its monitoring schedule and its shutdown.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, Result};
use clap::ValueEnum;

use termbridge::Workspace;

use super::ops::SERVICE_FILE;
use super::user_error;

/// How the service monitors institutions' websites.
#[derive(Debug, Clone, Default, clap::Args)]
pub(super) struct MonitorArgs {
    /// Let institutions added over HTTP point at loopback, private and link-local addresses
    /// (a closed network, tests); by default they are refused
    #[arg(long)]
    pub monitor_allow_private: bool,
    /// Run every institution at this interval (e.g. 30m, 24h, 7d), one after another,
    /// skipping one whose run is still going on
    #[arg(long, value_name = "INTERVAL", value_parser = parse_interval)]
    pub monitor_every: Option<std::time::Duration>,
    /// Also trust this CA certificate (PEM) for the https of monitoring runs, for an
    /// institution behind an internal CA (repeatable; the system's store is always trusted)
    #[arg(long, value_name = "FILE")]
    pub monitor_ca_cert: Vec<std::path::PathBuf>,
}

/// An interval written as a whole number and a unit: `s`, `m`, `h` or `d` (`90s`, `30m`,
/// `24h`, `7d`); at least a minute, so a typo cannot turn the schedule into a crawl loop.
pub(super) fn parse_interval(text: &str) -> Result<std::time::Duration, String> {
    let text = text.trim();
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().map_err(|_| format!("{text:?} is not an interval such as 30m, 24h or 7d"))?;
    let seconds = match unit.trim() {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => return Err(format!("{text:?} has no unit; write s, m, h or d (30m, 24h, 7d)")),
    };
    let total = number.checked_mul(seconds).ok_or_else(|| format!("{text:?} is too long an interval"))?;
    if total < 60 {
        return Err(format!("{text:?} is shorter than a minute"));
    }
    Ok(std::time::Duration::from_secs(total))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(super) enum LogFormat {
    /// Human-readable lines
    Text,
    /// One JSON object a line
    Json,
}

/// `serve --replica-of`: the folder of backups a read replica follows, and how often it looks.
#[derive(Debug, Clone)]
pub(super) struct ReplicaOf {
    pub backups: PathBuf,
    pub every: std::time::Duration,
}

/// Opens the data directory for `serve`, loading the shipped term base into an empty store,
/// with a log line for each step.
pub(super) fn open_for_serving(data_dir: &Path) -> Result<Workspace> {
    tracing::info!(data_dir = %data_dir.display(), "opening the data directory");
    let mut last_logged = 0u64;
    let (workspace, outcome) = Workspace::open(data_dir, &mut |done, total| {
        if total > 0 && (done == total || done >= last_logged + total.div_ceil(10)) {
            last_logged = done;
            tracing::info!(done, total, "rebuilding the search index");
        }
    })
    .with_context(|| format!("cannot open data directory {}", data_dir.display()))?;
    if let termbridge::index::OpenOutcome::Rebuilt(reason) = outcome {
        tracing::info!(%reason, "search index rebuilt from the store");
    }
    // The shipped Kosovo term base goes into an empty store on first start; the gazetteer is
    // compiled into the binary and needs no loading.
    tracing::info!("checking the shipped Kosovo term base");
    match termbridge::termbase::load_shipped(&workspace.store).context("cannot load the shipped term base")? {
        Some(summary) => tracing::info!(concepts = summary.added, "loaded the shipped Kosovo term base into the empty store"),
        None => tracing::info!(concepts = workspace.store.concept_count().unwrap_or(0), "term base present"),
    }
    Ok(workspace)
}

/// The base URL clients on this host reach `local` at.
pub(super) fn service_url(local: SocketAddr) -> String {
    let ip = match local.ip() {
        std::net::IpAddr::V4(ip) if ip.is_unspecified() => std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        std::net::IpAddr::V6(ip) if ip.is_unspecified() => std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST),
        ip => ip,
    };
    format!("http://{}", SocketAddr::new(ip, local.port()))
}

pub(super) fn serve(
    data_dir: &Path,
    addr: SocketAddr,
    config: termbridge::api::ServeConfig,
    replica_of: Option<ReplicaOf>,
    monitor: MonitorArgs,
) -> Result<ExitCode> {
    // A CA file that cannot be used would fail every run; say so now.
    termbridge::monitor::crawl::check_ca_files(&monitor.monitor_ca_cert).map_err(|err| user_error(format!("--monitor-ca-cert {err}")))?;
    let runtime = tokio::runtime::Runtime::new().context("cannot start the async runtime")?;
    let data_dir = data_dir.to_path_buf();
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|err| user_error(format!("cannot listen on {addr}: {err}")))?;
        let local = listener.local_addr().context("cannot read the listening address")?;
        tracing::info!(addr = %local, "termbridge is listening; starting up (/readyz answers 503 until ready)");
        let (stop_tx, mut stop_rx) = tokio::sync::watch::channel(false);
        tokio::spawn(async move {
            shutdown_signal().await;
            tracing::info!("shutdown signal received");
            let _ = stop_tx.send(true);
        });
        let readiness = termbridge::api::Readiness::default();
        let server = {
            let readiness = readiness.clone();
            let config = config.clone();
            let mut stop_rx = stop_rx.clone();
            tokio::spawn(async move {
                termbridge::api::serve(listener, readiness, &config, async move {
                    let _ = stop_rx.wait_for(|stop| *stop).await;
                })
                .await
            })
        };
        let replica = replica_of.as_ref().map(|of| termbridge::api::replica::Replica::new(&of.backups, &data_dir, config.clone()));
        let opened = {
            let data_dir = data_dir.clone();
            let replica = replica.clone();
            let readiness = readiness.clone();
            tokio::task::spawn_blocking(move || match replica {
                Some(replica) => {
                    let router = replica.start(&readiness).map_err(|err| user_error(err.to_string()))?;
                    let workspace = replica.workspace().context("the replica opened no data directory")?;
                    Ok((workspace, Some(router)))
                }
                None => open_for_serving(&data_dir).map(|workspace| (Arc::new(workspace), None)),
            })
            .await
        };
        let (workspace, replica_router) = match opened {
            Ok(Ok(opened)) => opened,
            Ok(Err(err)) => {
                server.abort();
                return Err(err);
            }
            Err(err) => {
                server.abort();
                return Err(anyhow::Error::new(err).context("startup failed"));
            }
        };
        let service_file = data_dir.join(SERVICE_FILE);
        if let Err(err) = std::fs::write(&service_file, format!("{}\n", service_url(local))) {
            tracing::warn!(%err, file = %service_file.display(), "cannot record the service address; `termbridge backup` will need --server");
        }
        if !*stop_rx.borrow_and_update() {
            let router = match replica_router {
                // A replica takes no writes, monitoring runs included: the primary monitors.
                Some(router) => router,
                None => {
                    let monitor_config = termbridge::api::MonitorConfig::live_trusting(monitor.monitor_allow_private, monitor.monitor_ca_cert.clone());
                    let state = termbridge::api::AppState::new(workspace.clone(), config).with_monitor(monitor_config);
                    if let Some(every) = monitor.monitor_every {
                        tracing::info!(every_secs = every.as_secs(), "monitoring every institution on a schedule");
                        let scheduled = state.clone();
                        let mut stop_rx = stop_rx.clone();
                        tokio::spawn(async move {
                            tokio::select! {
                                () = termbridge::api::run_monitor_every(scheduled, every) => {},
                                _ = stop_rx.wait_for(|stop| *stop) => {},
                            }
                        });
                    }
                    termbridge::api::router(state)
                }
            };
            readiness.set_ready(router);
            tracing::info!(addr = %local, data_dir = %data_dir.display(), replica = replica.is_some(), "termbridge is ready");
            // Build the fuzzy-match index now rather than at the first TM match, which would
            // otherwise wait for it (about a second for 100,000 units).
            let warm = workspace.clone();
            tokio::task::spawn_blocking(move || {
                let started = std::time::Instant::now();
                match warm.prepare_matcher(&termbridge::model::lang::Lang::ALL) {
                    Ok(()) => tracing::info!(seconds = started.elapsed().as_secs_f64(), bytes = warm.matcher_bytes(), "fuzzy-match index built"),
                    Err(err) => tracing::warn!(%err, "fuzzy-match index not built ahead; the first TM match builds it"),
                }
            });
            if let (Some(replica), Some(of)) = (replica.clone(), replica_of.as_ref()) {
                tokio::spawn(replica.refresh_every(of.every));
            }
        }
        // A replica's served workspace changes at each refresh, and one no longer served is
        // closed once nothing holds it: hold it only through the replica.
        let primary = replica.is_none().then_some(workspace);
        let served = server.await;
        let _ = std::fs::remove_file(&service_file);
        if let Some(workspace) = primary.or_else(|| replica.as_ref().and_then(|replica| replica.workspace())) {
            workspace.store.flush()?;
        }
        tracing::info!("stopped; store flushed");
        served.context("the server task failed")?.context("server failed")?;
        Ok::<(), anyhow::Error>(())
    })?;
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_are_read_with_their_unit() {
        for (text, seconds) in [("30m", Some(1_800)), ("24h", Some(86_400)), ("7d", Some(604_800)), ("90s", Some(90)), ("1h ", Some(3_600))] {
            assert_eq!(parse_interval(text).ok().map(|every| every.as_secs()), seconds, "{text}");
        }
        for text in ["", "24", "h", "10s", "5w", "-1h", "99999999999999999999d"] {
            assert!(parse_interval(text).is_err(), "{text}");
        }
    }
}
