//! Why a chart could not be made.

/// Why a chart could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("invalid chart options: {0}")]
    Options(String),
    #[error("the chart font could not be loaded")]
    Font,
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    #[error("encoding the PNG failed: {0}")]
    Encode(String),
    #[error("could not write the chart: {error} ({})", path.display())]
    Io {
        path: std::path::PathBuf,
        error: std::io::Error,
    },
}
