//! Nothing a user types reaches SQL as text: values are bound, names must
//! resolve against the models first.

use std::process::Command;

fn ormsh(code: &str) -> (String, String) {
    let dir = std::env::temp_dir().join(format!("ormsh-inject-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("shop")).unwrap();
    std::fs::write(
        dir.join("shop/models.py"),
        "from django.db import models\n\nclass Item(models.Model):\n    name = models.CharField(max_length=40)\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_ormsh"))
        .arg(&dir)
        .args(["--format", "repr", "-c", code])
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn values_and_names_cannot_inject_sql() {
    let (out, err) = ormsh(
        "Item.objects.create(name=\"a'); DROP TABLE shop_item; --\")\n\
         Item.objects.filter(name=\"x' OR '1'='1\").count()\n\
         Item.objects.filter(name__contains=\"%\").count()\n\
         Item.objects.filter(**{'name\" = name OR 1=1 --': 1})\n\
         Item.objects.order_by('name; DROP TABLE shop_item')\n\
         Item.objects.count()\n\
         Item.objects.get(pk=1).name\n",
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines,
        vec![
            "<Item: Item object (1)>",
            "0",
            "0",
            "1",
            "\"a'); DROP TABLE shop_item; --\""
        ],
        "{out}\n{err}"
    );
    assert_eq!(
        err.matches("FieldError: Cannot resolve keyword").count(),
        2,
        "{err}"
    );
}
