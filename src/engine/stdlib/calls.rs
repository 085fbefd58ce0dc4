//! Calling a module's functions and classes (`Native`).

use super::*;

impl Interp {
    pub(in crate::engine) fn call_native(&mut self, n: Native, args: Args) -> Result<Value> {
        use Native::*;
        match n {
            Date => datetime::date(args),
            DateTime => datetime::datetime(args),
            Time => datetime::time(args),
            TimeDelta => datetime::timedelta(args),
            Timezone => datetime::timezone(args),
            ZoneInfo => datetime::zoneinfo(args),
            DateToday => {
                args.count("today", 0, 0)?;
                Ok(Value::Date(datetime::local_now().date()))
            }
            DateTimeToday => {
                args.count("today", 0, 0)?;
                Ok(Value::DateTime(datetime::local_now(), None))
            }
            DateTimeNow => datetime::now(args),
            DateTimeUtcNow => {
                args.count("utcnow", 0, 0)?;
                Ok(Value::DateTime(datetime::utc_now(), None))
            }
            DateFromIso => datetime::fromisoformat("date", args),
            DateTimeFromIso => datetime::fromisoformat("datetime", args),
            TimeFromIso => datetime::fromisoformat("time", args),
            DateFromOrdinal => datetime::fromordinal(args),
            DateFromTimestamp => datetime::fromtimestamp("date", args),
            DateTimeFromTimestamp => datetime::fromtimestamp("datetime", args),
            DateTimeCombine => datetime::combine(args),
            DateTimeStrptime => datetime::strptime(args),
            Decimal => decimal::construct(args),
            TzNow | TzMakeAware | TzMakeNaive | TzIsAware | TzIsNaive | TzLocaltime
            | TzLocaldate | TzCurrent | TzDefault | TzCurrentName => {
                timezone::call(n, args, &crate::settings::time())
            }
            // `@transaction.atomic`: the function, run in a savepoint.
            Atomic if matches!(args.pos.first(), Some(Value::Function(_))) => {
                Ok(Value::Bound(std::rc::Rc::new((AtomicCall, args.pos))))
            }
            Atomic => {
                args.count("atomic", 0, 1)?;
                Ok(Value::Native(AtomicBlock))
            }
            AtomicCall => {
                let mut args = args;
                let f = args.pos.remove(0);
                let writable = self
                    .orm
                    .db
                    .as_ref()
                    .is_some_and(|db| db.check_writable().is_ok());
                if writable {
                    self.atomic(|interp| interp.call(&f, args))
                } else {
                    self.call(&f, args)
                }
            }
            AtomicBlock => Err(Error::type_error("'Atomic' object is not callable")),
            Reduce => self.reduce(args),
            _ => self.call_native_library(n, args),
        }
    }

    fn call_native_library(&mut self, n: Native, args: Args) -> Result<Value> {
        use Native::*;
        match n {
            ExceptionInit => {
                let mut args = args;
                if let Value::Exception(e) = args.pos.remove(0) {
                    args.no_kw("BaseException.__init__")?;
                    *e.args.borrow_mut() = args.pos;
                }
                Ok(Value::None)
            }
            ObjectInit => Ok(Value::None),
            JsonDumps => misc::json_dumps(args),
            Capwords => misc::capwords(args),
            JsonLoads => misc::json_loads(args),
            ReCompile => re::compile_call(args),
            ReEscape => re::escape(args),
            RePurge => re::purge(args),
            ReRegexFlag => re::regex_flag(args),
            DecimalGetcontext => decimal::getcontext(args),
            DecimalFromFloat => {
                args.no_kw("from_float")?;
                match args.pos.as_slice() {
                    [v] => decimal::from_float(v),
                    _ => Err(Error::type_error(format!(
                        "Decimal.from_float() takes exactly one argument ({} given)",
                        args.pos.len()
                    ))),
                }
            }
            DecimalLocalcontext => decimal::localcontext(args),
            RePattern | ReMatchClass => Err(Error::type_error(format!(
                "cannot create '{}' instances",
                n.qualname()
            ))),
            _ if n.qualname().starts_with("re.") => {
                let op = re::Op::by_name(n.name()).unwrap_or(re::Op::Search);
                self.call_re(op, args)
            }
            _ if n.qualname().starts_with("itertools.") => self.call_itertools(n, args),
            _ if n.qualname().starts_with("collections.") => self.call_collections(n, args),
            _ if n.qualname().starts_with("random.") => self.call_random(n, args),
            Uuid => uuid::construct(args),
            OrmshNote | OrmshReadEnvFile | OrmshContentTypeName | OrmshModelKey | GetUserModel
            | DjManager | DjAsManager | DjFromQueryset | DjManagerClass | DjQuerySet
            | DjManagerDecl => self.call_native_project(n, args),
            PathlibPath | PathlibPosixPath | PathlibPurePath | PathlibPurePosixPath
            | PathlibPathCwd | PathlibPathHome | OsGetenv | OsGetcwd | OsFspath | OsPathJoin
            | OsPathDirname | OsPathBasename | OsPathAbspath | OsPathRealpath | OsPathNormpath
            | OsPathExpanduser | OsPathExists | OsPathIsfile | OsPathIsdir | OsPathIsabs
            | OsPathSplitext | OsPathSplit | Gettext | GettextLazy | GettextNoop | Pgettext
            | PgettextLazy => os::call(n, args),
            Uuid4 => uuid::uuid4(args),
            TextwrapDedent => misc::dedent(args),
            TextwrapIndent => misc::indent(args),
            Pprint | Pformat | Pp | Saferepr => self.call_pprint(n.name(), args),
            TextwrapWrap => textwrap::wrap(args),
            TextwrapFill => textwrap::fill(args),
            TextwrapShorten => textwrap::shorten(args),
            _ if n.qualname().starts_with("operator.")
                || n.qualname().starts_with("functools.partial") =>
            {
                self.call_operator(n, args)
            }
            Prod | Fsum => {
                let items = match args.pos.first() {
                    Some(v) => self.collect(v)?,
                    None => {
                        return Err(Error::type_error(format!(
                            "{}() takes exactly one argument (0 given)",
                            n.name()
                        )));
                    }
                };
                math::call(n, args, Some(items))
            }
            _ => math::call(n, args, None),
        }
    }

    /// `functools.reduce(function, iterable[, initial])`.
    pub(super) fn reduce(&mut self, args: Args) -> Result<Value> {
        args.no_kw("reduce")?;
        args.count("reduce", 2, 3)?;
        let f = args.pos[0].clone();
        let mut items = self.iter(&args.pos[1])?;
        let mut acc = match args.pos.get(2) {
            Some(v) => v.clone(),
            None => match items.next() {
                Some(v) => v?,
                None => {
                    return Err(Error::type_error(
                        "reduce() of empty iterable with no initial value",
                    ));
                }
            },
        };
        for item in items {
            acc = self.call(&f, Args::positional(vec![acc, item?]))?;
        }
        Ok(acc)
    }

    /// The natives of the project's own Python: the environment readers'
    /// hooks, `get_user_model()`, managers in class bodies.
    fn call_native_project(&mut self, n: Native, args: Args) -> Result<Value> {
        use Native::*;
        match n {
            OrmshNote => {
                args.count("note", 1, 1)?;
                let text = self.str_value(&args.pos[0])?;
                self.sources.borrow_mut().notes.push(text);
                Ok(Value::None)
            }
            OrmshReadEnvFile => self.read_env_file(args),
            OrmshContentTypeName => self.content_type_name(args),
            OrmshModelKey => self.model_key(args),
            GetUserModel => {
                args.count("get_user_model", 0, 0)?;
                let registry = self.orm.registry.clone();
                let name = match registry.auth_user_model.as_str() {
                    "" => "auth.User",
                    n => n,
                };
                match registry.find(name) {
                    Some(id) => Ok(crate::value::ModelClass::value(&registry, id)),
                    None => Err(Error::new(
                        "ImproperlyConfigured",
                        format!(
                            "AUTH_USER_MODEL refers to model '{name}' that has not been installed"
                        ),
                    )),
                }
            }
            _ => managers::call(n, args),
        }
    }
}
