//! A minimal Chrome DevTools Protocol client: launch headless Chromium,
//! open a tab, navigate, evaluate JavaScript, and collect what the browser
//! reported (console messages, failed loads).

use std::io::{BufRead, BufReader, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

/// A running headless Chromium with one tab.
pub struct Browser {
    child: Child,
    socket: WebSocket<TcpStream>,
    session: String,
    next_id: u64,
    events: Vec<Value>,
    profile: PathBuf,
}

/// Where the browser tests find Chromium, or why they skip: the one
/// place that decides whether they run. They run when `$CHROMIUM` is set
/// or a Chromium is on `PATH`. Otherwise, with `CI` set they fail, so a
/// CI machine that lost its browser cannot pass unnoticed; without `CI`
/// (a newcomer's `cargo test --workspace`) they print a notice saying how
/// to run them and pass.
pub fn chromium_or_skip(test: &str) -> Option<PathBuf> {
    let ci = std::env::var_os("CI").is_some_and(|value| !value.is_empty());
    let found = std::env::var_os("CHROMIUM")
        .filter(|path| !path.is_empty())
        .map(PathBuf::from)
        .or_else(chromium_on_path);
    match (found, ci) {
        (Some(path), _) => Some(path),
        (None, true) => panic!(
            "{test}: CI is set and no Chromium was found; {HOW_TO_RUN} (`.ci/run` installs it)"
        ),
        (None, false) => {
            // Straight to the process's stderr: the test harness captures
            // `eprintln!` of a passing test, and this must be seen.
            let _ = writeln!(
                std::io::stderr(),
                "\n\
                 ********************************************************************\n\
                 SKIPPED {test}: no Chromium on PATH and CHROMIUM is not set.\n\
                 These tests check CORS in a real browser. To run them, {HOW_TO_RUN}.\n\
                 With CI set they fail instead of skipping.\n\
                 ********************************************************************\n"
            );
            None
        }
    }
}

const HOW_TO_RUN: &str =
    "install Chromium (`apt-get install chromium` on Debian) or set CHROMIUM=/path/to/chromium";

/// The first `chromium`, `chromium-browser` or `google-chrome` on `PATH`.
fn chromium_on_path() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

impl Browser {
    /// Starts `chromium` headless and opens an empty tab.
    pub fn launch(chromium: &Path) -> Self {
        let profile = std::env::temp_dir().join(format!(
            "cors-browser-test-{}-{}",
            std::process::id(),
            unique()
        ));
        let mut child = Command::new(chromium)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-extensions",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("Chromium starts");
        let stderr = child.stderr.take().expect("piped stderr");
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if !sent {
                    if let Some(url) = line.strip_prefix("DevTools listening on ") {
                        let _ = sender.send(url.to_owned());
                        sent = true;
                    }
                }
            }
        });
        let url = receiver
            .recv_timeout(Duration::from_secs(30))
            .expect("Chromium prints its DevTools address within 30 s");
        let address = url
            .strip_prefix("ws://")
            .and_then(|rest| rest.split('/').next())
            .expect("ws:// address")
            .to_owned();
        let stream = TcpStream::connect(&address).expect("connect to DevTools");
        stream
            .set_read_timeout(Some(Duration::from_secs(30)))
            .expect("set timeout");
        let (socket, _) = tungstenite::client(url.as_str(), stream).expect("WebSocket handshake");
        let mut browser = Self {
            child,
            socket,
            session: String::new(),
            next_id: 0,
            events: Vec::new(),
            profile,
        };
        let target = browser.call_browser("Target.createTarget", json!({ "url": "about:blank" }));
        let target_id = target["targetId"].as_str().expect("targetId").to_owned();
        let attached = browser.call_browser(
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
        );
        browser.session = attached["sessionId"]
            .as_str()
            .expect("sessionId")
            .to_owned();
        for domain in [
            "Page.enable",
            "Runtime.enable",
            "Log.enable",
            "Network.enable",
        ] {
            browser.call(domain, json!({}));
        }
        // Every fetch must reach the server: no HTTP or preflight cache.
        browser.call("Network.setCacheDisabled", json!({ "cacheDisabled": true }));
        browser
    }

    fn send(&mut self, method: &str, params: Value, session: Option<String>) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = session {
            message["sessionId"] = Value::String(session);
        }
        self.socket
            .send(Message::text(message.to_string()))
            .expect("send to DevTools");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            assert!(
                Instant::now() < deadline,
                "no answer to {method} within 30 s"
            );
            let Message::Text(text) = self.socket.read().expect("read from DevTools") else {
                continue;
            };
            let value: Value = serde_json::from_str(&text).expect("DevTools sends JSON");
            if value["id"].as_u64() == Some(id) {
                assert!(
                    value.get("error").is_none(),
                    "{method} failed: {}",
                    value["error"]
                );
                return value["result"].clone();
            }
            self.events.push(value);
        }
    }

    fn call_browser(&mut self, method: &str, params: Value) -> Value {
        self.send(method, params, None)
    }

    /// Calls a method on the tab.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        let session = self.session.clone();
        self.send(method, params, Some(session))
    }

    /// Loads `url` and waits for its `load` event.
    pub fn navigate(&mut self, url: &str) {
        self.events.clear();
        self.call("Page.navigate", json!({ "url": url }));
        let deadline = Instant::now() + Duration::from_secs(30);
        while !self
            .events
            .iter()
            .any(|event| event["method"] == "Page.loadEventFired")
        {
            assert!(Instant::now() < deadline, "{url} did not load within 30 s");
            let Message::Text(text) = self.socket.read().expect("read from DevTools") else {
                continue;
            };
            self.events.push(serde_json::from_str(&text).expect("JSON"));
        }
    }

    /// Evaluates `expression` in the page, awaiting a promise, and returns
    /// its value as JSON.
    pub fn eval(&mut self, expression: &str) -> Value {
        let result = self.call(
            "Runtime.evaluate",
            json!({ "expression": expression, "awaitPromise": true, "returnByValue": true }),
        );
        assert!(
            result.get("exceptionDetails").is_none(),
            "{expression} threw: {}",
            result["exceptionDetails"]
        );
        result["result"]["value"].clone()
    }

    /// Waits `quiet` for late events, then returns and forgets every
    /// console message the tab produced so far.
    pub fn take_console(&mut self, quiet: Duration) -> Vec<String> {
        // A harmless round trip lets events queued before it arrive.
        std::thread::sleep(quiet);
        self.call("Runtime.evaluate", json!({ "expression": "0" }));
        let mut messages = Vec::new();
        for event in self.events.drain(..) {
            match event["method"].as_str() {
                Some("Log.entryAdded") => {
                    messages.push(
                        event["params"]["entry"]["text"]
                            .as_str()
                            .unwrap_or_default()
                            .to_owned(),
                    );
                }
                Some("Runtime.consoleAPICalled") => {
                    let args = event["params"]["args"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default();
                    let text: Vec<String> =
                        args.iter().map(|arg| arg["value"].to_string()).collect();
                    messages.push(text.join(" "));
                }
                _ => {}
            }
        }
        messages
    }

    /// The raw events collected so far, for debugging.
    #[allow(dead_code)]
    pub fn events(&self) -> &[Value] {
        &self.events
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn unique() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos())
}
