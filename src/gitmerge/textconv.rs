//! The text conversion for `git diff`.
