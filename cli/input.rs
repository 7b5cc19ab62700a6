//! JSON Lines in, a chunk at a time: memory holds one chunk whatever the input's size. A progress
//! bar shows on a terminal (standard error), never when it is piped.

use aftersales::{ErrorCode, PolicyError};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::path::Path;
use std::sync::mpsc::{sync_channel, Receiver};

/// Lines a chunk holds: enough to keep every core busy, few enough to keep memory flat.
pub const CHUNK: usize = 4096;

/// A line of input: its number (from 1) and its text, or why it has none (not UTF-8).
pub type Line = (u64, Result<String, PolicyError>);

/// The lines of a file or of standard input.
pub struct Lines {
    reader: Box<dyn BufRead + Send>,
    read: u64,
    pub progress: ProgressBar,
}

/// Counts the bytes read, for the progress bar.
struct Counted<R> {
    inner: R,
    progress: ProgressBar,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.progress.inc(n as u64);
        Ok(n)
    }
}

impl Lines {
    /// Opens `path` (`None` or `-`: standard input).
    pub fn open(path: Option<&Path>) -> std::io::Result<Lines> {
        let tty = std::io::stderr().is_terminal();
        let hidden = || ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        let (source, progress): (Box<dyn Read + Send>, ProgressBar) = match path.filter(|p| p.as_os_str() != "-") {
            Some(path) => {
                let file = std::fs::File::open(path)?;
                let bar = if tty { ProgressBar::new(file.metadata()?.len()) } else { hidden() };
                bar.set_style(
                    ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {binary_bytes_per_sec} eta {eta}")
                        .unwrap_or_else(|_| ProgressStyle::default_bar()),
                );
                (Box::new(file), bar)
            }
            None => {
                let bar = if tty { ProgressBar::new_spinner() } else { hidden() };
                bar.set_style(
                    ProgressStyle::with_template("{spinner} {bytes} read, {binary_bytes_per_sec}")
                        .unwrap_or_else(|_| ProgressStyle::default_spinner()),
                );
                (Box::new(std::io::stdin()), bar)
            }
        };
        let counted = Counted { inner: source, progress: progress.clone() };
        Ok(Lines { reader: Box::new(BufReader::with_capacity(1 << 20, counted)), read: 0, progress })
    }

    /// The next lines that are not blank, at most [`CHUNK`]; empty at the end of the input.
    pub fn chunk(&mut self) -> std::io::Result<Vec<Line>> {
        let mut lines = Vec::with_capacity(CHUNK);
        let mut bytes = Vec::new();
        while lines.len() < CHUNK {
            bytes.clear();
            if self.reader.read_until(b'\n', &mut bytes)? == 0 {
                break;
            }
            self.read += 1;
            while bytes.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                bytes.pop();
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let text = String::from_utf8(std::mem::take(&mut bytes))
                .map_err(|e| PolicyError::new(ErrorCode::InvalidJson, "", format!("the line is not UTF-8: {e}")));
            lines.push((self.read, text));
        }
        Ok(lines)
    }
}

/// Chunks read ahead on a thread of their own while the last one is answered: the reading and
/// the answering overlap, and at most two chunks wait (memory stays flat).
pub struct Chunks {
    receiver: Receiver<std::io::Result<Vec<Line>>>,
    pub progress: ProgressBar,
}

impl Chunks {
    pub fn open(path: Option<&Path>) -> std::io::Result<Chunks> {
        let mut lines = Lines::open(path)?;
        let progress = lines.progress.clone();
        let (sender, receiver) = sync_channel(2);
        std::thread::spawn(move || loop {
            let chunk = lines.chunk();
            let last = matches!(&chunk, Ok(c) if c.is_empty()) || chunk.is_err();
            if sender.send(chunk).is_err() || last {
                break;
            }
        });
        Ok(Chunks { receiver, progress })
    }

    /// The next chunk; empty at the end of the input.
    pub fn next_chunk(&self) -> std::io::Result<Vec<Line>> {
        self.receiver.recv().unwrap_or_else(|_| Ok(Vec::new()))
    }
}
