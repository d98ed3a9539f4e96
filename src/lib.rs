//! readcast turns news articles into narrated audio and podcast feeds.
//!
//! The pipeline, one module per stage, with typed values between stages:
//! [`extract`] (input -> [`extract::Article`]) -> [`normalize`] (written -> spoken form) ->
//! [`chunk`] (sentences -> engine-sized [`chunk::Chunk`]s) -> [`synth`] (chunks -> audio
//! segments, in parallel) -> [`assemble`] (segments -> one [`assemble::Narration`] and files).
//! [`pipeline`] wires the stages together for one article; [`podcast`] renders many into a
//! feed.

pub mod assemble;
pub mod check;
pub mod chunk;
pub mod error;
pub mod extract;
pub mod inspect;
pub mod lint;
pub mod narrator;
pub mod normalize;
pub mod output;
pub mod page;
pub mod pipeline;
pub mod podcast;
pub mod synth;
pub mod voice;
pub mod workers;

pub use error::{Error, Result};
