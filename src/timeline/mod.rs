//! `zkdemo timeline` and `zkdemo demo --timeline`: what happened, as a picture.
//!
//! `model` turns JSON event lines into lanes, spans and marks (pure); `draw` renders them as an
//! SVG with plotters.

pub mod draw;
pub mod model;
#[cfg(test)]
mod tests;
