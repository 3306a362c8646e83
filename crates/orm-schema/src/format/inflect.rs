//! The English inflections `prisma format` uses to name the relation fields it adds:
//! camelCase (`PostableEntity` → `postableEntity`) and plurals (`postableEntities`).
//!
//! Plurals follow the usual English rules of Rails-style inflectors, the family Prisma's
//! inflector belongs to; unusual words may come out differently, the result is only a name.

/// `UserProfile` → `userProfile`, `user_profile` → `userProfile`, `Post2` → `post2`.
pub(super) fn camel_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, word) in words(name).into_iter().enumerate() {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            if i == 0 {
                out.extend(first.to_lowercase());
            } else {
                out.extend(first.to_uppercase());
            }
            out.extend(chars.flat_map(char::to_lowercase));
        }
    }
    out
}

/// Splits at separators (anything not alphanumeric) and where a capital follows a
/// lower-case letter or a digit.
fn words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start: Option<usize> = None;
    let mut previous: Option<char> = None;
    for (i, c) in name.char_indices() {
        if !c.is_alphanumeric() {
            if let Some(s) = start.take() {
                words.push(&name[s..i]);
            }
        } else if c.is_uppercase()
            && previous.is_some_and(|p| p.is_lowercase() || p.is_numeric())
            && let Some(s) = start.replace(i)
        {
            words.push(&name[s..i]);
        } else if start.is_none() {
            start = Some(i);
        }
        previous = Some(c);
    }
    if let Some(s) = start {
        words.push(&name[s..]);
    }
    words
}

/// The plural of a camelCase name: its last word is pluralised.
pub(super) fn plural(name: &str) -> String {
    let last_word_start = words(name).last().map_or(0, |w| name.len() - w.len());
    let (stem, word) = name.split_at(last_word_start);
    let lower = word.to_lowercase();
    if UNCOUNTABLE.contains(&lower.as_str()) {
        return name.to_owned();
    }
    for (singular, plural) in IRREGULAR {
        if lower == *singular {
            // Keep the case of the first letter, as written.
            let first = word.chars().next().map_or(0, char::len_utf8);
            return format!("{stem}{}{}", &word[..first], &plural[first..]);
        }
    }
    for (suffix, cut, replacement) in SUFFIX_RULES {
        if lower.ends_with(suffix) {
            let keep = name.len() - cut;
            return format!("{}{replacement}", &name[..keep]);
        }
    }
    format!("{name}s")
}

const UNCOUNTABLE: [&str; 10] = [
    "equipment",
    "information",
    "rice",
    "money",
    "species",
    "series",
    "fish",
    "sheep",
    "jeans",
    "police",
];

const IRREGULAR: [(&str, &str); 6] = [
    ("person", "people"),
    ("man", "men"),
    ("woman", "women"),
    ("child", "children"),
    ("mouse", "mice"),
    ("ox", "oxen"),
];

/// `(ending, bytes to cut, replacement)`, most specific first.
const SUFFIX_RULES: [(&str, usize, &str); 32] = [
    ("quiz", 0, "zes"),
    ("matrix", 2, "ices"),
    ("vertex", 2, "ices"),
    ("index", 2, "ices"),
    ("axis", 2, "es"),
    ("testis", 2, "es"),
    ("octopus", 2, "i"),
    ("virus", 2, "i"),
    ("alias", 0, "es"),
    ("status", 0, "es"),
    ("bus", 0, "es"),
    ("buffalo", 0, "es"),
    ("tomato", 0, "es"),
    ("tum", 2, "a"),
    ("ium", 2, "a"),
    ("sis", 2, "es"),
    ("ife", 2, "ves"),
    ("lf", 1, "ves"),
    ("rf", 1, "ves"),
    ("x", 0, "es"),
    ("ch", 0, "es"),
    ("ss", 0, "es"),
    ("sh", 0, "es"),
    ("s", 0, ""),
    ("quy", 1, "ies"),
    ("ay", 0, "s"),
    ("ey", 0, "s"),
    ("iy", 0, "s"),
    ("oy", 0, "s"),
    ("uy", 0, "s"),
    ("yy", 0, "s"),
    ("y", 1, "ies"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_lowers_the_first_word() {
        assert_eq!(camel_case("User"), "user");
        assert_eq!(camel_case("PostableEntity"), "postableEntity");
        assert_eq!(camel_case("Post2"), "post2");
        assert_eq!(camel_case("user_profile"), "userProfile");
        assert_eq!(camel_case("frownyface"), "frownyface");
        assert_eq!(camel_case("Lööp"), "lööp");
    }

    #[test]
    fn plurals_follow_english_rules() {
        for (singular, expected) in [
            ("user", "users"),
            ("post2", "post2s"),
            ("postableEntity", "postableEntities"),
            ("category", "categories"),
            ("day", "days"),
            ("key", "keys"),
            ("address", "addresses"),
            ("box", "boxes"),
            ("branch", "branches"),
            ("status", "statuses"),
            ("analysis", "analyses"),
            ("wolf", "wolves"),
            ("boy", "boys"),
            ("wife", "wives"),
            ("medium", "media"),
            ("index", "indices"),
            ("quiz", "quizzes"),
            ("person", "people"),
            ("salesPerson", "salesPeople"),
            ("child", "children"),
            ("sheep", "sheep"),
            ("news", "news"),
        ] {
            assert_eq!(plural(singular), expected, "{singular}");
        }
    }
}
