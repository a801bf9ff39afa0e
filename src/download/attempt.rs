//! One attempt of a download to a path: the request (resuming from the `.part` file when it
//! can), the checks on the answer, the body streamed into the `.part` file, the rename.

use std::io;
use std::path::Path;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{CONTENT_RANGE, HeaderMap, HeaderValue, IF_RANGE, RANGE};
use tokio::io::BufWriter;

use crate::error::Error;
use answer::{Again, Failure, body_failure, download_error, header, names, plan, refusal};
use body::BodyError;
use part::PartFile;
use range::ContentRange;
use validator::Validator;

use super::*;

/// One attempt of [`download_to_path`].
pub(super) async fn attempt_to_path<F>(
    http: &reqwest::Client,
    url: &F,
    target: &Path,
    options: &DownloadOptions,
    deadline: Option<Instant>,
) -> Result<Downloaded, Failure>
where
    F: Fn() -> Result<String, Error>,
{
    let files = PartFile::new(target).ok_or_else(|| {
        Error::invalid_input(
            "target",
            format!("`{}` does not end in a file name", target.display()),
        )
    })?;
    let place = Some(target);
    options.check_not_stopped(place)?;
    let io_failure = |what: String, e: io::Error| -> Failure {
        download_error(place, what, false, Some(Box::new(e))).into()
    };
    let part_name = || files.part().display().to_string();

    let leftover = files
        .leftover()
        .await
        .map_err(|e| io_failure(format!("cannot read `{}`", part_name()), e))?;
    let resume = leftover.and_then(|left| match left.validator {
        Some(validator) if left.len > 0 => Some((left.len, validator)),
        _ => None,
    });
    let mut headers = HeaderMap::new();
    if let Some((offset, validator)) = &resume {
        if let Ok(value) = HeaderValue::from_str(&format!("bytes={offset}-")) {
            headers.insert(RANGE, value);
        }
        if let Some(value) = validator.header_value() {
            headers.insert(IF_RANGE, value);
        }
    }
    let asked_from = resume.as_ref().map_or(0, |(offset, _)| *offset);
    let (mut response, final_url) =
        send(http, checked_url(url)?, headers, options, place, deadline).await?;
    let status = response.status();

    if status == StatusCode::RANGE_NOT_SATISFIABLE && asked_from > 0 {
        let complete = header(response.headers(), CONTENT_RANGE)
            .and_then(ContentRange::parse)
            .and_then(|range| match range {
                ContentRange::Unsatisfied { complete } => Some(complete),
                ContentRange::Range { .. } => None,
            });
        if complete == Some(asked_from) {
            files
                .finish_existing(options.durable)
                .await
                .map_err(|e| io_failure(format!("cannot move `{}` into place", part_name()), e))?;
            options.report(Progress {
                done: asked_from,
                total: Some(asked_from),
            });
            return Ok(Downloaded {
                path: Some(target.to_path_buf()),
                bytes: asked_from,
                resumed_from: asked_from,
                suggested_name: None,
                content_type: None,
                final_url: Some(final_url),
            });
        }
        // The `.part` file does not fit the server's file: drop it so the next attempt starts over.
        files
            .discard()
            .await
            .map_err(|e| io_failure(format!("cannot remove `{}`", part_name()), e))?;
        let mut failure = refusal(response, options).await;
        failure.retry = Again::Backoff;
        return Err(failure);
    }
    if !status.is_success() {
        return Err(refusal(response, options).await);
    }

    let plan = plan(&response, asked_from, place, options.max_bytes)?;
    let (suggested_name, content_type) = names(response.headers());
    let validator = if plan.start > 0 {
        let saved = resume.as_ref().map(|(_, saved)| saved);
        if let Some(saved) = saved.filter(|saved| saved.contradicted_by(response.headers())) {
            files
                .discard()
                .await
                .map_err(|e| io_failure(format!("cannot remove `{}`", part_name()), e))?;
            return Err(Failure {
                error: download_error(
                    place,
                    format!(
                        "the server sent part of another version of the file than the {} asked for in If-Range; `{}` was discarded, the next attempt starts over",
                        saved.describe(),
                        part_name()
                    ),
                    true,
                    None,
                ),
                retry: Again::Backoff,
            });
        }
        saved.cloned()
    } else {
        Validator::from_headers(response.headers())
    };
    let opened = if plan.start > 0 {
        files.append_at(plan.start).await
    } else {
        files.start_over(validator.as_ref()).await
    };
    let file = opened.map_err(|e| io_failure(format!("cannot open `{}`", part_name()), e))?;

    options.report(Progress {
        done: plan.start,
        total: plan.total,
    });
    // Durable: write the file back to disk while the body streams, so that the fsync before
    // the rename finds little left to do (one fsync at the end would wait for all of it).
    let write_back = if options.durable {
        file.try_clone()
            .await
            .ok()
            .map(|f| tokio::spawn(write_back(f)))
    } else {
        None
    };
    let mut writer = BufWriter::with_capacity(options.buffer_size, file);
    let copied = body::copy(
        &mut response,
        &mut writer,
        plan.expected(options.max_bytes, deadline),
        options,
    )
    .await;
    if let Some(task) = write_back {
        task.abort();
    }
    let received = match copied {
        Ok(received) => received,
        Err(e @ (BodyError::Oversized { .. } | BodyError::TooLarge { .. })) => {
            PartFile::cut_back(writer, plan.start)
                .await
                .map_err(|e| io_failure(format!("cannot truncate `{}`", part_name()), e))?;
            return Err(body_failure(e, &plan, place));
        }
        Err(e) => {
            let kept = PartFile::keep(writer).await;
            let mut failure = body_failure(e, &plan, place);
            if kept.is_ok() {
                failure.error = resumable(failure.error, validator.is_some(), files.part());
            }
            return Err(failure);
        }
    };
    let done = plan.start.saturating_add(received);
    if let Some(total) = plan.total.filter(|&total| done < total) {
        PartFile::keep(writer)
            .await
            .map_err(|e| io_failure(format!("cannot write `{}`", part_name()), e))?;
        let message = format!(
            "the server sent bytes {}-{} of {total} and stopped there",
            plan.start,
            done.saturating_sub(1),
        );
        let error = download_error(place, message, true, None);
        return Err(Failure {
            error: resumable(error, validator.is_some(), files.part()),
            retry: Again::Backoff,
        });
    }
    files.finish(writer, options.durable).await.map_err(|e| {
        io_failure(
            format!("cannot write `{}` and move it into place", part_name()),
            e,
        )
    })?;
    Ok(Downloaded {
        path: Some(target.to_path_buf()),
        bytes: done,
        resumed_from: plan.start,
        suggested_name,
        content_type,
        final_url: Some(final_url),
    })
}

/// How much of a durable download may wait in the page cache before it is written back.
const WRITE_BACK_EVERY: u64 = 8 * 1024 * 1024;
/// How often the write-back task looks at the file's length.
const WRITE_BACK_POLL: Duration = Duration::from_millis(10);

/// Syncs `file` (a second handle on the `.part` file being written) each time it has grown by
/// [`WRITE_BACK_EVERY`]; runs until aborted or until a sync fails (the final sync reports it).
async fn write_back(file: tokio::fs::File) {
    let mut synced = 0u64;
    loop {
        tokio::time::sleep(WRITE_BACK_POLL).await;
        let Ok(len) = file.metadata().await.map(|m| m.len()) else {
            return;
        };
        if len >= synced.saturating_add(WRITE_BACK_EVERY) {
            if file.sync_data().await.is_err() {
                return;
            }
            synced = len;
        }
    }
}

/// `error` (a download error) saying what the next attempt will do with the bytes kept in the
/// `.part` file.
fn resumable(mut error: Error, has_validator: bool, part: &Path) -> Error {
    if let Error::Download { resume, .. } = &mut error {
        *resume = Some(match has_validator {
            true => Resume::FromPart {
                part: part.to_path_buf(),
            },
            false => Resume::StartOver,
        });
    }
    error
}
