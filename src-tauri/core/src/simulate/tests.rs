use super::*;
use crate::store::Project;

mod calibrate_tests;
mod fixtures;
mod live_tests;
mod model_tests;
mod policy_tests;
mod run_tests;
mod stats_tests;
mod store_tests;
