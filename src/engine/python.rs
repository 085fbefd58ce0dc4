//! The evaluator as the ORM sees it (`orm::Python`): the models module's
//! code and Python's protocols, run on the ORM's behalf.

use super::interp::Interp;
use crate::error::Result;
use crate::orm::{Orm, Python};
use crate::schema::{Field, ModelId};
use crate::value::{Args, Value};

impl Python for Interp {
    fn orm(&self) -> &Orm {
        &self.orm
    }

    fn call(&mut self, f: &Value, args: Args) -> Result<Value> {
        Interp::call(self, f, args)
    }

    fn get_attr(&mut self, obj: &Value, name: &str) -> Result<Value> {
        Interp::get_attr(self, obj, name)
    }

    fn repr_value(&mut self, v: &Value) -> Result<String> {
        Interp::repr_value(self, v)
    }

    fn str_value(&mut self, v: &Value) -> Result<String> {
        Interp::str_value(self, v)
    }

    fn truthy(&mut self, v: &Value) -> Result<bool> {
        Interp::truthy(self, v)
    }

    fn model_method(
        &mut self,
        instance: &Value,
        model: ModelId,
        name: &str,
    ) -> Result<Option<Value>> {
        Interp::model_method(self, instance, model, name)
    }

    fn class_constant(&self, model: ModelId, name: &str) -> Option<Value> {
        Interp::class_constant(self, model, name)
    }

    fn module_value(&mut self, app: &str, dotted: &str) -> Result<Value> {
        Interp::module_value(self, app, dotted)
    }

    fn field_default(&mut self, model: ModelId, f: &Field) -> Result<Value> {
        Interp::field_default(self, model, f)
    }

    fn collect(&mut self, v: &Value) -> Result<Vec<Value>> {
        Interp::collect(self, v)
    }
}

impl Interp {
    /// The interpreter as the ORM's callback.
    pub fn py(&mut self) -> &mut dyn Python {
        self
    }

    /// The same, for what only reads.
    pub fn python(&self) -> &dyn Python {
        self
    }

    /// `repr()` of the values whose text Python code or the ORM writes.
    pub(super) fn object_repr(&mut self, v: &Value) -> Option<Result<String>> {
        match v {
            Value::Object(_) | Value::Exception(_) => self.object_text(v, "__repr__"),
            _ => self.py().orm_repr(v),
        }
    }

    /// `str()` of the same values.
    pub(super) fn object_str(&mut self, v: &Value) -> Option<Result<String>> {
        match v {
            Value::Object(_) | Value::Exception(_) => self.object_text(v, "__str__"),
            _ => self.py().orm_str(v),
        }
    }

    /// Runs one ORM operation, or a `with transaction.atomic():` block, in
    /// a savepoint: its writes all stay, or, when it fails, none do.
    pub(super) fn atomic<T>(&mut self, f: impl FnOnce(&mut Interp) -> Result<T>) -> Result<T> {
        let db = self.orm.db()?.clone();
        crate::orm::in_savepoint(&db, self, f)
    }
}
