//! The IR of the shared test schemas and of Prisma's seed schema: every constraint name,
//! relation classification, join tables, defaults, native types and docs.

mod common;

use orm_schema::ir::*;
use orm_schema::provider::ProviderKind;

fn full(provider: &str) -> Schema {
    common::load(&common::repo_root().join(format!("tests/schemas/full.{provider}.prisma")))
}

fn seed() -> Schema {
    common::load(&common::shared_dir().join("prisma-golden/seed/schema.prisma"))
}

fn relation<'a>(schema: &'a Schema, name: &str) -> RelationRef<'a> {
    schema
        .relations()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no relation {name}"))
}

fn field_names(schema: &Schema, ids: &[FieldId]) -> Vec<String> {
    ids.iter()
        .map(|id| schema.field(*id).name.clone())
        .collect()
}

#[test]
fn seed_schema_has_prismas_constraint_names() {
    let schema = seed();
    assert_eq!(schema.provider().unwrap().kind, ProviderKind::Postgres);
    let names: Vec<&str> = schema.models().map(|m| m.data().name.as_str()).collect();
    assert_eq!(names, ["User", "Order", "Inventory"]);

    let user = schema.model_by_name("User").unwrap();
    assert_eq!(user.primary_key().unwrap().constraint_name, "User_pkey");
    assert_eq!(user.unique_constraints.len(), 1);
    assert_eq!(user.unique_constraints[0].constraint_name, "User_email_key");
    assert_eq!(user.unique_constraints[0].client_name, "email");
    assert_eq!(user.indexes[0].constraint_name, "User_createdAt_idx");
    assert_eq!(user.indexes[0].algorithm, IndexAlgorithm::BTree);

    let order = schema.model_by_name("Order").unwrap();
    assert_eq!(order.primary_key().unwrap().constraint_name, "Order_pkey");
    assert_eq!(order.indexes[0].constraint_name, "Order_userId_id_idx");
    assert_eq!(
        field_names(
            &schema,
            &order.indexes[0]
                .fields
                .iter()
                .map(|f| f.field)
                .collect::<Vec<_>>()
        ),
        ["userId", "id"]
    );
    assert_eq!(
        schema
            .model_by_name("Inventory")
            .unwrap()
            .primary_key()
            .unwrap()
            .constraint_name,
        "Inventory_pkey"
    );

    let rel = relation(&schema, "OrderToUser");
    assert_eq!(rel.kind, RelationKind::OneToMany);
    assert_eq!(rel.model_a().name, "Order");
    assert_eq!(rel.model_b().name, "User");
    let fk = rel.foreign_key.as_ref().unwrap();
    assert_eq!(fk.constraint_name, "Order_userId_fkey");
    assert_eq!(fk.on_delete, ReferentialAction::Cascade);
    assert!(fk.on_delete_is_explicit);
    assert_eq!(fk.on_update, ReferentialAction::Cascade);
    assert!(!fk.on_update_is_explicit);
    assert_eq!(field_names(&schema, &fk.fields), ["userId"]);
    assert_eq!(field_names(&schema, &fk.references), ["id"]);

    // Both sides point at the relation; the back side holds no key.
    let user_orders = user.relation_field("orders").unwrap();
    assert_eq!(user_orders.relation().id(), rel.id());
    assert!(!user_orders.holds_foreign_key());
    assert_eq!(user_orders.opposite().name(), "user");
    assert!(order.relation_field("user").unwrap().holds_foreign_key());

    let id = user.scalar_field("id").unwrap();
    assert!(id.is_id);
    assert_eq!(
        id.default.as_ref().unwrap().kind,
        DefaultKind::Cuid(CuidVersion::V1)
    );
    assert_eq!(
        user.scalar_field("createdAt")
            .unwrap()
            .default
            .as_ref()
            .unwrap()
            .kind,
        DefaultKind::Now
    );
    assert_eq!(order.scalar_field("sku").unwrap().arity(), Arity::Optional);

    let generator = &schema.generators()[0];
    assert_eq!(generator.name, "client");
    assert_eq!(
        generator.provider,
        ConfigValue::Literal("prisma-client".into())
    );
    assert_eq!(
        generator.output,
        Some(ConfigValue::Literal("../generated/client".into()))
    );
    assert_eq!(schema.datasource().unwrap().url, None);
}

#[test]
fn full_schema_names_use_database_names() {
    for provider in ["postgresql", "sqlite"] {
        let schema = full(provider);
        let account = schema.model_by_name("Account").unwrap();
        assert_eq!(account.db_name, "accounts");
        assert_eq!(
            account.documentation.as_deref(),
            Some("An account that writes posts.")
        );
        assert_eq!(
            account.primary_key().unwrap().constraint_name,
            "accounts_pkey"
        );
        assert_eq!(
            account.unique_constraints[0].constraint_name,
            "accounts_email_key"
        );
        let email = account.field("email").unwrap();
        assert_eq!(
            email.documentation.as_deref(),
            Some("Unique login address.")
        );
        assert_eq!(
            account.scalar_field("bigNumber").unwrap().db_name(),
            "big_number"
        );
        assert!(account.scalar_field("updatedAt").unwrap().is_updated_at);

        let post = schema.model_by_name("Post").unwrap();
        let unique = &post.unique_constraints[0];
        assert_eq!(unique.client_name, "authorId_slug");
        assert_eq!(unique.constraint_name, "Post_author_id_slug_key");
        assert!(!unique.is_field_level);
        assert_eq!(post.indexes[0].constraint_name, "Post_published_id_idx");

        let view = schema.model_by_name("View").unwrap();
        let pk = view.primary_key().unwrap();
        assert_eq!(pk.client_name, "postId_accountId");
        assert_eq!(pk.constraint_name, "View_pkey");
        assert!(!pk.is_field_level);
        assert_eq!(view.documentation.as_deref(), Some("Compound primary key."));

        let role = schema.enum_by_name("Role").unwrap();
        assert_eq!(role.db_name, "account_role");
        let values: Vec<(&str, &str)> = role
            .values
            .iter()
            .map(|v| (v.name.as_str(), v.db_name.as_str()))
            .collect();
        assert_eq!(values, [("USER", "USER"), ("ADMIN", "admin")]);
        assert_eq!(
            role.documentation.as_deref(),
            Some("What an account may do.")
        );
        let role_field = account.scalar_field("role").unwrap();
        assert_eq!(role_field.enum_type().unwrap().name, "Role");
        assert_eq!(
            role_field.default.as_ref().unwrap().kind,
            DefaultKind::Value(DefaultLiteral::Enum("USER".into()))
        );
    }
}

#[test]
fn full_schema_relations_are_classified_with_prismas_names() {
    for provider in ["postgresql", "sqlite"] {
        let schema = full(provider);
        let mut seen: Vec<(String, RelationKind, bool)> = schema
            .relations()
            .map(|r| (r.name.clone(), r.kind, r.is_self_relation()))
            .collect();
        seen.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            seen,
            [
                ("AccountToProfile".to_owned(), RelationKind::OneToOne, false),
                ("AccountToView".to_owned(), RelationKind::OneToMany, false),
                ("Authored".to_owned(), RelationKind::OneToMany, false),
                ("Edited".to_owned(), RelationKind::OneToMany, false),
                ("Management".to_owned(), RelationKind::OneToMany, true),
                ("PostToTag".to_owned(), RelationKind::ManyToMany, false),
                ("PostToView".to_owned(), RelationKind::OneToMany, false),
            ]
        );

        let fk = |name: &str| relation(&schema, name).foreign_key.clone().unwrap();
        let management = fk("Management");
        assert_eq!(management.constraint_name, "accounts_manager_id_fkey");
        assert_eq!(
            (management.on_delete, management.on_update),
            (ReferentialAction::SetNull, ReferentialAction::Cascade)
        );
        let profile = fk("AccountToProfile");
        assert_eq!(profile.constraint_name, "Profile_accountId_fkey");
        assert_eq!(schema.model(profile.model).name, "Profile");
        assert_eq!(profile.on_delete, ReferentialAction::Cascade);
        let authored = fk("Authored");
        assert_eq!(authored.constraint_name, "Post_author_id_fkey");
        assert_eq!(authored.on_delete, ReferentialAction::Restrict);
        let edited = fk("Edited");
        assert_eq!(edited.constraint_name, "Post_editorId_fkey");
        assert_eq!(edited.on_delete, ReferentialAction::SetNull);
        assert_eq!(fk("PostToView").constraint_name, "View_postId_fkey");
        assert_eq!(fk("AccountToView").constraint_name, "View_accountId_fkey");

        let m2m = relation(&schema, "PostToTag");
        assert!(m2m.foreign_key.is_none());
        let table = m2m.join_table.as_ref().unwrap();
        assert_eq!(table.name, "_PostToTag");
        assert_eq!(schema.model(table.column_a.model).name, "Post");
        assert_eq!(schema.model(table.column_b.model).name, "Tag");
        assert_eq!(table.column_a.name, "A");
        assert_eq!(schema.field(table.column_a.references).name, "id");
        assert_eq!(table.column_a.foreign_key_name, "_PostToTag_A_fkey");
        assert_eq!(table.column_b.foreign_key_name, "_PostToTag_B_fkey");
        assert_eq!(table.b_index_name, "_PostToTag_B_index");
        if provider == "postgresql" {
            assert_eq!(table.ab_constraint_name, "_PostToTag_AB_pkey");
            assert!(table.ab_is_primary_key);
        } else {
            assert_eq!(table.ab_constraint_name, "_PostToTag_AB_unique");
            assert!(!table.ab_is_primary_key);
        }
        assert_eq!(schema.join_tables().count(), 1);
    }
}

#[test]
fn full_schema_defaults_and_native_types() {
    let schema = full("postgresql");
    let token = schema.model_by_name("Token").unwrap();
    let kind = |name: &str| {
        token
            .scalar_field(name)
            .unwrap()
            .default
            .clone()
            .unwrap()
            .kind
    };
    assert_eq!(kind("id"), DefaultKind::Uuid(UuidVersion::V7));
    assert_eq!(kind("v4"), DefaultKind::Uuid(UuidVersion::V4));
    assert_eq!(kind("cuid1"), DefaultKind::Cuid(CuidVersion::V1));
    assert_eq!(kind("cuid2"), DefaultKind::Cuid(CuidVersion::V2));
    assert_eq!(kind("nano"), DefaultKind::Nanoid(None));
    assert_eq!(kind("nano16"), DefaultKind::Nanoid(Some(16)));
    assert_eq!(
        kind("payload"),
        DefaultKind::Value(DefaultLiteral::Bytes(String::new()))
    );
    assert_eq!(
        kind("big"),
        DefaultKind::Value(DefaultLiteral::BigInt(9_007_199_254_740_993))
    );
    let label = token.scalar_field("label").unwrap();
    assert_eq!(label.native_type.as_ref().unwrap().name, "Uuid");

    let account = schema.model_by_name("Account").unwrap();
    let default = |name: &str| {
        account
            .scalar_field(name)
            .unwrap()
            .default
            .clone()
            .unwrap()
            .kind
    };
    assert_eq!(default("id"), DefaultKind::Autoincrement);
    assert_eq!(
        default("balance"),
        DefaultKind::Value(DefaultLiteral::Decimal("0".into()))
    );
    assert_eq!(
        default("active"),
        DefaultKind::Value(DefaultLiteral::Boolean(true))
    );
    assert!(account.scalar_field("id").unwrap().is_autoincrement());
    assert_eq!(
        account.scalar_field("nicknames").unwrap().arity(),
        Arity::List
    );

    let profile = schema.model_by_name("Profile").unwrap();
    let bio = profile.scalar_field("bio").unwrap();
    let native = bio.native_type.as_ref().unwrap();
    assert_eq!(
        (native.name.as_str(), native.args.as_slice()),
        ("VarChar", &["200".to_owned()][..])
    );
}

#[test]
fn long_names_are_cut_to_the_identifier_limit() {
    let long = "A".repeat(60);
    let source = format!(
        "datasource db {{\n  provider = \"postgresql\"\n}}\n\nmodel {long} {{\n  id Int @id\n  someVeryLongColumnName Int @unique\n}}\n"
    );
    let schema = orm_schema::parse_and_validate(&source, "s.prisma").unwrap();
    let model = schema.models().next().unwrap();
    let pk = &model.primary_key().unwrap().constraint_name;
    assert_eq!(pk.len(), 63);
    assert!(pk.ends_with("_pkey"));
    let unique = &model.unique_constraints[0].constraint_name;
    assert_eq!(unique.len(), 63);
    assert_eq!(
        unique,
        &format!("{}_key", &format!("{long}_someVeryLongColumnName")[..59])
    );
}

#[test]
fn prisma6_datasource_loads_with_an_advisory_warning() {
    let source = "datasource db {\n  provider = \"postgresql\"\n  url      = env(\"DATABASE_URL\")\n}\n\nmodel A {\n  id Int @id\n}\n";
    let validated = orm_schema::validate(source, "schema.prisma").unwrap();
    let ds = validated.schema.datasource().unwrap();
    assert_eq!(ds.url, Some(ConfigValue::Env("DATABASE_URL".into())));
    let warnings: Vec<_> = validated.warnings.iter().collect();
    assert_eq!(warnings.len(), 1);
    assert_eq!(
        warnings[0].advisory,
        Some(orm_schema::Advisory::DatasourceUrl)
    );
    assert!(!warnings[0].is_prisma());
}

#[test]
fn self_many_to_many_orders_columns_by_field_name() {
    let source = "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel User {\n  id        Int    @id\n  following User[] @relation(\"Follows\")\n  followers User[] @relation(\"Follows\")\n}\n";
    let schema = orm_schema::parse_and_validate(source, "s.prisma").unwrap();
    let relation = relation(&schema, "Follows");
    assert_eq!(relation.kind, RelationKind::ManyToMany);
    assert!(relation.is_self_relation());
    assert_eq!(relation.field_a().name, "followers");
    let table = relation.join_table.as_ref().unwrap();
    assert_eq!(table.name, "_Follows");
    assert_eq!(table.ab_constraint_name, "_Follows_AB_pkey");

    let user = schema.model_by_name("User").unwrap();
    let followers = user.relation_field("followers").unwrap();
    let (_, this, other) = followers.join_columns().unwrap();
    assert_eq!((this.name.as_str(), other.name.as_str()), ("A", "B"));
    let (_, this, other) = user
        .relation_field("following")
        .unwrap()
        .join_columns()
        .unwrap();
    assert_eq!((this.name.as_str(), other.name.as_str()), ("B", "A"));
    assert_eq!(followers.opposite().name(), "following");
    assert_eq!(
        followers.referential_actions(),
        (ReferentialAction::Cascade, ReferentialAction::Cascade)
    );
}

#[test]
fn effective_actions_follow_prismas_defaults() {
    let source = "datasource db {\n  provider = \"sqlite\"\n}\n\nmodel User {\n  id      Int     @id\n  posts   Post[]\n  drafts  Draft[]\n}\n\nmodel Post {\n  id       Int  @id\n  authorId Int\n  author   User @relation(fields: [authorId], references: [id])\n}\n\nmodel Draft {\n  id       Int   @id\n  authorId Int?\n  author   User? @relation(fields: [authorId], references: [id], onUpdate: NoAction)\n}\n";
    let schema = orm_schema::parse_and_validate(source, "s.prisma").unwrap();
    let post = relation(&schema, "PostToUser");
    let fk = post.foreign_key.as_ref().unwrap();
    assert_eq!(
        (fk.on_delete, fk.on_update),
        (ReferentialAction::Restrict, ReferentialAction::Cascade)
    );
    assert!(!fk.on_delete_is_explicit && !fk.on_update_is_explicit);
    let draft = relation(&schema, "DraftToUser");
    let fk = draft.foreign_key.as_ref().unwrap();
    assert_eq!(
        (fk.on_delete, fk.on_update),
        (ReferentialAction::SetNull, ReferentialAction::NoAction)
    );
    assert!(fk.on_update_is_explicit);
    // The back side reports the same actions.
    let user = schema.model_by_name("User").unwrap();
    assert_eq!(
        user.relation_field("drafts").unwrap().referential_actions(),
        (ReferentialAction::SetNull, ReferentialAction::NoAction)
    );
    assert_eq!(user.foreign_keys().count(), 0);
    assert_eq!(
        schema.model_by_name("Post").unwrap().foreign_keys().count(),
        1
    );
}

#[test]
fn one_to_one_foreign_key_lives_on_the_side_with_fields() {
    let source = "datasource db {\n  provider = \"postgresql\"\n}\n\nmodel User {\n  id      Int      @id\n  profile Profile?\n}\n\nmodel Profile {\n  id     Int   @id\n  userId Int?  @unique @map(\"user_id\")\n  user   User? @relation(fields: [userId], references: [id], map: \"profile_owner\")\n\n  @@map(\"profiles\")\n}\n";
    let schema = orm_schema::parse_and_validate(source, "s.prisma").unwrap();
    let rel = relation(&schema, "ProfileToUser");
    assert_eq!(rel.kind, RelationKind::OneToOne);
    assert_eq!(rel.model_a().name, "Profile");
    let fk = rel.foreign_key.as_ref().unwrap();
    assert_eq!(fk.constraint_name, "profile_owner");
    let profile = schema.model_by_name("Profile").unwrap();
    assert_eq!(
        profile.unique_constraints[0].constraint_name,
        "profiles_user_id_key"
    );
}
