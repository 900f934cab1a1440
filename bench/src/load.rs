//! A small HTTP/1.1 load generator for the soak test (`bench/tests/load.rs`) and
//! `scripts/soak`: many keep-alive connections sending a mix of preflights
//! and actual requests from allowed and refused origins, each answer
//! checked for the grant it must (not) carry.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// What to send.
#[derive(Clone, Debug)]
pub struct Target {
    /// The server.
    pub address: SocketAddr,
    /// A path whose `GET` and preflight `ACRM` method the policy serves.
    pub path: String,
    /// The method to ask for in preflights.
    pub method: String,
    /// An origin the policy allows.
    pub allowed: String,
    /// An origin it refuses.
    pub refused: String,
}

/// The outcome of one round.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Round {
    /// Answers received.
    pub answers: usize,
    /// Connection failures, unparsable answers and 5xx statuses.
    pub errors: usize,
    /// Refused origins that got `Access-Control-Allow-Origin`, or allowed
    /// ones that did not.
    pub wrong_grants: usize,
}

/// Sends `requests` requests over `connections` concurrent connections.
pub async fn round(target: &Target, connections: usize, requests: usize) -> Round {
    let answers = Arc::new(AtomicUsize::new(0));
    let errors = Arc::new(AtomicUsize::new(0));
    let wrong = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for connection in 0..connections {
        let target = target.clone();
        let (answers, errors, wrong) = (answers.clone(), errors.clone(), wrong.clone());
        let share = requests / connections + usize::from(connection < requests % connections);
        tasks.push(tokio::spawn(async move {
            let Ok(stream) = TcpStream::connect(target.address).await else {
                errors.fetch_add(share, Ordering::Relaxed);
                return;
            };
            let _ = stream.set_nodelay(true);
            let mut stream = BufReader::new(stream);
            for i in 0..share {
                let allowed = (connection + i) % 2 == 0;
                let preflight = (connection + i) % 4 < 2;
                let origin = if allowed { &target.allowed } else { &target.refused };
                let request = if preflight {
                    format!(
                        "OPTIONS {} HTTP/1.1\r\nHost: load\r\nOrigin: {origin}\r\nAccess-Control-Request-Method: {}\r\n\r\n",
                        target.path, target.method
                    )
                } else {
                    format!("GET {} HTTP/1.1\r\nHost: load\r\nOrigin: {origin}\r\n\r\n", target.path)
                };
                match exchange(&mut stream, request.as_bytes()).await {
                    Some((status, allow_origin)) if status < 500 => {
                        answers.fetch_add(1, Ordering::Relaxed);
                        let granted = allow_origin.as_deref() == Some(origin.as_str()) || allow_origin.as_deref() == Some("*");
                        if granted != allowed || (!allowed && allow_origin.is_some()) {
                            wrong.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                    _ => {
                        errors.fetch_add(share - i, Ordering::Relaxed);
                        return;
                    }
                }
            }
        }));
    }
    for task in tasks {
        if task.await.is_err() {
            errors.fetch_add(1, Ordering::Relaxed);
        }
    }
    Round {
        answers: answers.load(Ordering::Relaxed),
        errors: errors.load(Ordering::Relaxed),
        wrong_grants: wrong.load(Ordering::Relaxed),
    }
}

/// Writes one request, reads one answer: its status and
/// `Access-Control-Allow-Origin`.
async fn exchange(
    stream: &mut BufReader<TcpStream>,
    request: &[u8],
) -> Option<(u16, Option<String>)> {
    stream.get_mut().write_all(request).await.ok()?;
    let mut line = String::new();
    stream.read_line(&mut line).await.ok()?;
    let status: u16 = line.split(' ').nth(1)?.parse().ok()?;
    let mut length = 0usize;
    let mut allow_origin = None;
    loop {
        line.clear();
        stream.read_line(&mut line).await.ok()?;
        let trimmed = line.trim_end();
        if trimmed.is_empty() {
            break;
        }
        let (name, value) = trimmed.split_once(':')?;
        let value = value.trim();
        if name.eq_ignore_ascii_case("content-length") {
            length = value.parse().ok()?;
        } else if name.eq_ignore_ascii_case("access-control-allow-origin") {
            allow_origin = Some(value.to_owned());
        }
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await.ok()?;
    Some((status, allow_origin))
}

/// The resident memory of process `pid`, in KiB, from `/proc`.
pub fn resident_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
