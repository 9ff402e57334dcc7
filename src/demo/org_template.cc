#include "demo/org_template.h"

namespace sei::demo {

namespace {

using L = Language;
constexpr RepoKind kSvc = RepoKind::kService;
constexpr RepoKind kLib = RepoKind::kLibrary;

// clang-format off
constexpr TeamTemplate kTeams[kTemplateTeams] = {
    {"payments", "Payments", "PAY", 60, "Berlin",
     "The best team: small PRs, squash merges, daily production deploys, the lowest change "
     "failure rate.",
     8, {0.10, 0.85, 0.05}, 2.5, 1.5, 0.04, 0.035, 0.020, true, 0, false, false,
     {{"payments-api", kSvc, L::kGo}, {"ledger-service", kSvc, L::kGo},
      {"checkout-web", kSvc, L::kTypeScript}, {"fraud-rules", kSvc, L::kPython},
      {"payment-gateway-sdk", kLib, L::kGo}}},
    {"platform", "Platform", "PLAT", -300, "New York",
     "Shared libraries and infrastructure: merge commits, release tags cut by the CI bot, "
     "weekly deploys.",
     7, {0.85, 0.05, 0.10}, 3.0, 2.0, 0.06, 0.075, 0.035, false, 1, false, false,
     {{"auth-service", kSvc, L::kGo}, {"api-gateway", kSvc, L::kGo},
      {"observability-agent", kSvc, L::kGo}, {"shared-go-kit", kLib, L::kGo},
      {"infra-terraform", kLib, L::kHcl}}},
    {"mobile", "Mobile", "MOB", -180, "Sao Paulo",
     "Improves over the year: smaller PRs and a review rota roughly halve its cycle time from "
     "the first quarter to the last.",
     8, {0.80, 0.10, 0.10}, 4.0, 2.5, 0.05, 0.080, 0.040, false, 3, true, false,
     {{"mobile-bff", kSvc, L::kTypeScript}, {"ios-app", kSvc, L::kSwift},
      {"android-app", kSvc, L::kKotlin}, {"push-notifications", kSvc, L::kGo},
      {"design-system", kLib, L::kTypeScript}}},
    {"growth", "Growth", "GRO", 0, "London",
     "Experiments: squash merges, more PRs merged without review, weekly deploys with "
     "hotfixes.",
     7, {0.10, 0.85, 0.05}, 3.0, 2.0, 0.16, 0.085, 0.040, false, 2, false, false,
     {{"web-storefront", kSvc, L::kTypeScript}, {"experiments-service", kSvc, L::kGo},
      {"email-campaigns", kSvc, L::kPython}, {"landing-pages", kSvc, L::kTypeScript},
      {"analytics-sdk-js", kLib, L::kTypeScript}}},
    {"search", "Search", "SRCH", 330, "Bangalore",
     "A review bottleneck: one overloaded senior reviewer, so pickup takes several times "
     "longer than elsewhere.",
     7, {0.55, 0.10, 0.35}, 15.0, 8.0, 0.03, 0.080, 0.035, false, 1, false, true,
     {{"search-api", kSvc, L::kJava}, {"indexer", kSvc, L::kJava},
      {"search-web", kSvc, L::kTypeScript}, {"query-parser", kLib, L::kJava},
      {"ranking-models", kLib, L::kPython}}},
    {"data", "Data", "DATA", -480, "San Francisco",
     "Rebase merges and long-running pipeline work; deploys weekly.",
     7, {0.20, 0.10, 0.70}, 3.5, 2.5, 0.06, 0.070, 0.035, false, 3, false, false,
     {{"data-pipelines", kSvc, L::kPython}, {"events-collector", kSvc, L::kGo},
      {"feature-store", kSvc, L::kPython}, {"reporting-dashboards", kSvc, L::kTypeScript},
      {"warehouse-dbt", kLib, L::kSql}}},
};

constexpr const char* kFirst[kFirstNames] = {
    "Ana", "Bruno", "Chloé", "Daniel", "Elif", "Farid", "Greta", "Hiroshi", "Ingrid", "Jonas",
    "Kavya", "Liam", "Mei", "Nikolai", "Olga", "Pedro", "Quentin", "Rania", "Sofia", "Tomás",
    "Uma", "Viktor", "Wanjiru", "Xavier", "Yara", "Zoltán", "Aisha", "Ben", "Carmen", "Dmitri",
    "Emma", "Felipe", "Grace", "Hassan", "Isabel", "Jakub", "Kenji", "Lucía", "Marco", "Nadia",
    "Oscar", "Priya", "Rafael", "Sara", "Theo", "Ursula", "Valentina", "William", "Ximena", "Yusuf",
    "Zara", "Amir", "Beatriz", "Chen", "Diego", "Eva", "Fatima", "Gabriel", "Hana", "Ivan",
    "Julia", "Karim", "Lena", "Mateo", "Noor", "Omar", "Paula", "Ravi", "Selin", "Tariq",
    "Ulla", "Vera", "Wei", "Yasmin", "Zeynep", "Adam", "Bianca", "Conor", "Dalia", "Erik",
    "Freya", "Goran", "Helena", "Ines", "José", "Kai", "Leila", "Milan", "Nina", "Ola",
    "Pablo", "Rosa", "Stefan", "Tanvi", "Ugo", "Vikram", "Wiebke", "Yuki", "Zofia", "Arjun",
};

constexpr const char* kLast[kLastNames] = {
    "Souza", "Müller", "Nakamura", "Okafor", "Kowalski", "Haddad", "Lindqvist", "Rossi",
    "Fernández", "Ivanova", "Chen", "Patel", "O'Brien", "Dubois", "Yilmaz", "Novak",
    "Andersen", "Costa", "Schmidt", "Tanaka", "Mensah", "García", "Petrov", "Kim", "Silva",
    "Nguyen", "Hoffmann", "Moreau", "Singh", "Jansen", "Popescu", "Eriksson", "Kaya", "Rahman",
    "Santos", "Weber", "Bianchi", "Lopez", "Horvath", "Mwangi", "Sato", "Larsen", "Duarte",
    "Fischer", "Lambert", "Reddy", "Kovács", "Oliveira", "Zhang", "Berg", "Cohen", "Demir",
    "Edwards", "Fontaine", "Gómez", "Hansen", "Ibrahim", "Jovanović", "Keller", "Laine", "Marín",
    "Nowak", "Ortiz", "Pereira", "Quinn", "Romero", "Sørensen", "Takahashi", "Umar", "Varga",
    "Wagner", "Xu", "Yamamoto", "Zielinski", "Abbasi", "Brennan", "Castillo", "Dahl", "Esposito",
    "Faure", "Gupta", "Herrera", "Iyer", "Jensen", "Kuznetsov", "Lehmann", "Medina", "Nilsson",
    "Owusu", "Park", "Ramos", "Schulz", "Torres", "Ueda", "Vogel", "Walsh", "Yadav", "Ziegler",
    "Álvarez", "Brown",
};
// clang-format on

}  // namespace

const TeamTemplate& TemplateTeam(int index) { return kTeams[index % kTemplateTeams]; }
const char* FirstName(int index) { return kFirst[index % kFirstNames]; }
const char* LastName(int index) { return kLast[index % kLastNames]; }

}  // namespace sei::demo
