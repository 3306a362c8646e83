//! The `join` relation load strategy (PostgreSQL): one statement, each included relation a
//! `LEFT JOIN LATERAL` subquery aggregating the related rows into JSON.

use super::args::FindManyArgs;
use super::meta::ModelMeta;
use super::result::Records;
use crate::client::Client;
use crate::error::{Error, Result};

impl Client {
    pub(crate) async fn find_many_joined(
        &self,
        _model: &ModelMeta,
        _args: FindManyArgs,
    ) -> Result<Records> {
        Err(Error::Unsupported {
            feature: "the join relation load strategy (not built yet)".to_owned(),
            dialect: self.dialect(),
        })
    }
}
