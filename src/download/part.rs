//! The `.part` file a download is written to, and its `.part.meta` sidecar holding the
//! validator needed to resume it.
//!
//! Invariant: whenever `NAME.part.meta` names a validator, the bytes in `NAME.part` are a prefix
//! of the representation that validator identifies. So the sidecar is removed before the
//! `.part` is truncated for a new representation, and written again only after.

use std::ffi::OsString;
use std::io;
use std::path::{Path, PathBuf};

use tokio::fs::{self, File, OpenOptions};
use tokio::io::{AsyncSeekExt, AsyncWriteExt, BufWriter};

use super::validator::Validator;

/// The first line of a sidecar file (its format version).
const META_HEADER: &str = "sevendigital-download 1";

/// The files of one download to a path.
#[derive(Debug, Clone)]
pub(super) struct PartFile {
    target: PathBuf,
    part: PathBuf,
    meta: PathBuf,
}

/// What a previous attempt left behind that can be resumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Leftover {
    /// The length of the `.part` file.
    pub len: u64,
    /// The validator of the representation it holds a prefix of, if one was saved.
    pub validator: Option<Validator>,
}

impl PartFile {
    /// The files for `target`; `None` when `target` does not end in a file name.
    pub fn new(target: &Path) -> Option<PartFile> {
        let name = target.file_name()?;
        let with_suffix = |suffix: &str| {
            let mut name: OsString = name.to_os_string();
            name.push(suffix);
            target.with_file_name(name)
        };
        Some(PartFile {
            target: target.to_path_buf(),
            part: with_suffix(".part"),
            meta: with_suffix(".part.meta"),
        })
    }

    /// The `.part` file.
    pub fn part(&self) -> &Path {
        &self.part
    }

    /// The sidecar file.
    #[cfg(test)]
    pub fn meta(&self) -> &Path {
        &self.meta
    }

    /// What a previous attempt left, or `None` when there is no `.part` file.
    /// An unreadable or malformed sidecar counts as no validator.
    pub async fn leftover(&self) -> io::Result<Option<Leftover>> {
        let len = match fs::metadata(&self.part).await {
            Ok(metadata) if metadata.is_file() => metadata.len(),
            Ok(_) => {
                return Err(io::Error::other(format!(
                    "`{}` exists and is not a file",
                    self.part.display()
                )));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let validator = match fs::read(&self.meta).await {
            Ok(bytes) => parse_meta(&bytes),
            Err(_) => None,
        };
        Ok(Some(Leftover { len, validator }))
    }

    /// Opens the `.part` file empty for a new representation, saving `validator` (if any) in
    /// the sidecar once the file is empty.
    pub async fn start_over(&self, validator: Option<&Validator>) -> io::Result<File> {
        remove_if_present(&self.meta).await?;
        let file = OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&self.part)
            .await?;
        if let Some(validator) = validator {
            let mut meta = File::create(&self.meta).await?;
            meta.write_all(format_meta(validator).as_bytes()).await?;
            meta.sync_all().await?;
        }
        Ok(file)
    }

    /// Opens the `.part` file to append at `offset`, its expected length. Anything beyond
    /// `offset` (written by someone else since it was measured) is cut off.
    pub async fn append_at(&self, offset: u64) -> io::Result<File> {
        let mut file = OpenOptions::new().write(true).open(&self.part).await?;
        let len = file.metadata().await?.len();
        if len < offset {
            return Err(io::Error::other(format!(
                "`{}` shrank from {offset} to {len} bytes while resuming",
                self.part.display()
            )));
        }
        if len > offset {
            file.set_len(offset).await?;
        }
        file.seek(io::SeekFrom::Start(offset)).await?;
        Ok(file)
    }

    /// Flushes the bytes of `writer` to disk and moves the `.part` file to the target, then
    /// removes the sidecar.
    /// With `durable`, the bytes reach the disk (`fsync`) before the rename, so that after a
    /// crash the target is whole or absent.
    pub async fn finish(&self, mut writer: BufWriter<File>, durable: bool) -> io::Result<()> {
        writer.flush().await?;
        let file = writer.into_inner();
        if durable {
            file.sync_all().await?;
        }
        drop(file);
        self.complete(durable).await
    }

    /// Syncs the `.part` file a previous attempt completed and moves it to the target.
    pub async fn finish_existing(&self, durable: bool) -> io::Result<()> {
        if durable {
            File::open(&self.part).await?.sync_all().await?;
        }
        self.complete(durable).await
    }

    /// Moves the (already complete and synced) `.part` file to the target and removes the sidecar.
    async fn complete(&self, durable: bool) -> io::Result<()> {
        fs::rename(&self.part, &self.target).await?;
        if durable {
            sync_directory(&self.target).await;
        }
        remove_if_present(&self.meta).await
    }

    /// Flushes what was written so far, so that a later attempt can resume from it.
    pub async fn keep(mut writer: BufWriter<File>) -> io::Result<()> {
        writer.flush().await?;
        writer.into_inner().sync_data().await
    }

    /// Cuts the `.part` file back to `len` bytes, dropping anything `writer` still buffers.
    pub async fn cut_back(writer: BufWriter<File>, len: u64) -> io::Result<()> {
        let file = writer.into_inner();
        file.set_len(len).await?;
        file.sync_data().await
    }

    /// Removes the `.part` file and its sidecar (they cannot be resumed).
    pub async fn discard(&self) -> io::Result<()> {
        remove_if_present(&self.meta).await?;
        remove_if_present(&self.part).await
    }
}

async fn remove_if_present(path: &Path) -> io::Result<()> {
    match fs::remove_file(path).await {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Makes a rename in the directory of `path` durable, where the platform allows it
/// (best effort: the rename itself has already happened).
async fn sync_directory(path: &Path) {
    if cfg!(unix) {
        let directory = match path.parent() {
            Some(parent) if !parent.as_os_str().is_empty() => parent,
            _ => Path::new("."),
        };
        if let Ok(dir) = File::open(directory).await {
            let _ = dir.sync_all().await;
        }
    }
}

fn format_meta(validator: &Validator) -> String {
    let (kind, value) = match validator {
        Validator::ETag(tag) => ("etag", tag),
        Validator::LastModified(date) => ("last-modified", date),
    };
    format!("{META_HEADER}\n{kind}: {value}\n")
}

/// Reads a sidecar; `None` unless it is complete (ends in a newline), of this version, and
/// holds a validator that is a valid header value.
fn parse_meta(bytes: &[u8]) -> Option<Validator> {
    let text = std::str::from_utf8(bytes).ok()?;
    let body = text.strip_suffix('\n')?;
    let mut lines = body.split('\n');
    if lines.next()? != META_HEADER {
        return None;
    }
    let (kind, value) = lines.next()?.split_once(": ")?;
    if lines.next().is_some() {
        return None;
    }
    let validator = match kind {
        "etag" => Validator::ETag(value.to_string()),
        "last-modified" => Validator::LastModified(value.to_string()),
        _ => return None,
    };
    validator.is_usable().then_some(validator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecar_round_trips_and_rejects_damage() {
        for validator in [
            Validator::ETag("\"abc\"".to_string()),
            Validator::LastModified("Sun, 06 Nov 1994 08:49:37 GMT".to_string()),
        ] {
            let text = format_meta(&validator);
            assert_eq!(parse_meta(text.as_bytes()), Some(validator));
            for cut in 0..text.len() {
                assert_eq!(parse_meta(&text.as_bytes()[..cut]), None, "cut at {cut}");
            }
        }
        assert_eq!(
            parse_meta(b"sevendigital-download 1\netag: W/\"weak\"\n"),
            None
        );
        assert_eq!(parse_meta(b"sevendigital-download 2\netag: \"a\"\n"), None);
        assert_eq!(
            parse_meta(b"sevendigital-download 1\netag: \"a\nb\"\n"),
            None
        );
        assert_eq!(parse_meta(b"\xff\xfe"), None);
    }

    #[test]
    fn paths_sit_beside_the_target() {
        let files = PartFile::new(Path::new("dir/song.mp3"));
        let files = files.as_ref();
        assert_eq!(
            files.map(|f| f.part()),
            Some(Path::new("dir/song.mp3.part"))
        );
        assert_eq!(
            files.map(|f| f.meta()),
            Some(Path::new("dir/song.mp3.part.meta"))
        );
        assert!(PartFile::new(Path::new("dir/..")).is_none());
        assert!(PartFile::new(Path::new("/")).is_none());
    }
}
