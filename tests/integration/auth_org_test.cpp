// API.md section 3 organizations against the real binary and stack: creation
// at registration, invites, members, role changes, and cross-organization
// access (another org's resource is 404, a role that is not enough is 403).
#include "tests/integration/auth_test_support.hpp"

namespace haven::test::auth {
namespace {

class AuthOrg : public auth_suite {};

std::string unique_slug(const std::string& tag) {
  auto e = unique_email(tag); // "tag-salt-n@…": reuse its uniqueness
  return e.substr(0, e.find('@'));
}

account admin_of_new_org(uint16_t port, const std::string& tag) {
  return register_account(
      port,
      {{"email", unique_email(tag)}, {"org_name", "Org " + tag}, {"org_slug", unique_slug(tag)}});
}

std::string invite(uint16_t port, const account& admin, const std::string& role) {
  auto r = call(port, "POST", "/v1/orgs/current/invites", obj({{"role", role}}), admin.access);
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(field(r, "/role"), role);
  EXPECT_NE(field(r, "/expires_at"), "<missing>");
  return field(r, "/code");
}

TEST_F(AuthOrg, RegisterCreatesTheOrganizationWithAnAdmin) {
  auto slug = unique_slug("org");
  auto a = register_account(port(), {{"org_name", "  Helpers  "}, {"org_slug", slug}});
  EXPECT_EQ(a.role, "admin");
  ASSERT_NE(a.org_id, "<null>");
  auto org = call(port(), "GET", "/v1/orgs/current", {}, a.access);
  ASSERT_EQ(org.status, 200) << org.body;
  EXPECT_EQ(field(org, "/org/id"), a.org_id);
  EXPECT_EQ(field(org, "/org/name"), "Helpers");
  EXPECT_EQ(field(org, "/org/slug"), slug);
  EXPECT_EQ(field(org, "/org/created_at").back(), 'Z');
  auto dup = call(port(), "POST", "/v1/auth/register",
                  obj({{"org_name", "Other"}, {"org_slug", slug}, {"password", default_password}}));
  EXPECT_EQ(dup.status, 409);
  EXPECT_EQ(field(dup, "/error/code"), "slug_taken");
}

// No organization: its own organization is 404; a listing or action the
// role does not allow is 403, with or without an organization (issue 12).
TEST_F(AuthOrg, NoOrganizationIs404AndARoleRefusalIs403) {
  auto a = register_account(port());
  EXPECT_EQ(call(port(), "GET", "/v1/orgs/current", {}, a.access).status, 404);
  EXPECT_EQ(call(port(), "GET", "/v1/orgs/current/members", {}, a.access).status, 403);
  EXPECT_EQ(
      call(port(), "POST", "/v1/orgs/current/invites", obj({{"role", "user"}}), a.access).status,
      403);
  EXPECT_EQ(call(port(), "GET", "/v1/orgs/current").status, 401);
}

TEST_F(AuthOrg, InvitesJoinWithTheirRoleOnce) {
  auto admin = admin_of_new_org(port(), "inv");
  auto code = invite(port(), admin, "counselor");
  auto c = register_account(port(), {{"invite_code", code}, {"email", unique_email("couns")}});
  EXPECT_EQ(c.role, "counselor");
  EXPECT_EQ(c.org_id, admin.org_id);
  auto again = call(port(), "POST", "/v1/auth/register",
                    obj({{"invite_code", code}, {"password", default_password}}));
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(field(again, "/error/code"), "invite_used");
  auto unknown = call(port(), "POST", "/v1/auth/register",
                      obj({{"invite_code", std::string(43, 'C')}, {"password", default_password}}));
  EXPECT_EQ(unknown.status, 422);
  EXPECT_EQ(call(port(), "POST", "/v1/orgs/current/invites", obj({{"role", "owner"}}), admin.access)
                .status,
            422);
  EXPECT_EQ(call(port(), "POST", "/v1/orgs/current/invites", "{}", admin.access).status, 422);
  // The counselor is not an admin: 403 on admin routes of its own org.
  EXPECT_EQ(call(port(), "GET", "/v1/orgs/current/members", {}, c.access).status, 403);
  EXPECT_EQ(
      call(port(), "POST", "/v1/orgs/current/invites", obj({{"role", "user"}}), c.access).status,
      403);
  auto members = call(port(), "GET", "/v1/orgs/current/members", {}, admin.access);
  ASSERT_EQ(members.status, 200) << members.body;
  EXPECT_NE(members.body.find(admin.id), std::string::npos);
  EXPECT_NE(members.body.find(c.id), std::string::npos);
}

TEST_F(AuthOrg, UserRoleGets403OnMembers) {
  auto admin = admin_of_new_org(port(), "roles");
  auto u = register_account(port(), {{"invite_code", invite(port(), admin, "user")}});
  EXPECT_EQ(u.role, "user");
  auto r = call(port(), "GET", "/v1/orgs/current/members", {}, u.access);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(field(r, "/error/code"), "forbidden");
  EXPECT_EQ(call(port(), "PATCH", "/v1/orgs/current/members/" + admin.id, obj({{"role", "user"}}),
                 u.access)
                .status,
            403);
}

TEST_F(AuthOrg, AdminChangesRolesInItsOwnOrgOnly) {
  auto a = admin_of_new_org(port(), "orga");
  auto b = admin_of_new_org(port(), "orgb");
  auto member_a = register_account(port(), {{"invite_code", invite(port(), a, "user")}});
  auto path = "/v1/orgs/current/members/" + member_a.id;
  EXPECT_EQ(field(call(port(), "GET", "/v1/auth/me", {}, member_a.access), "/user/role"), "user");
  auto ok = call(port(), "PATCH", path, obj({{"role", "counselor"}}), a.access);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(field(ok, "/user/role"), "counselor");
  EXPECT_EQ(field(ok, "/user/id"), member_a.id);
  // The member's own cached view changed with it (someone else's change).
  EXPECT_EQ(field(call(port(), "GET", "/v1/auth/me", {}, member_a.access), "/user/role"),
            "counselor");
  EXPECT_EQ(call(port(), "PATCH", path, obj({{"role", "king"}}), a.access).status, 422);
  // Org B's admin: org A's member does not exist for it.
  auto cross = call(port(), "PATCH", path, obj({{"role", "admin"}}), b.access);
  EXPECT_EQ(cross.status, 404);
  EXPECT_EQ(field(cross, "/error/code"), "not_found");
  auto list_b = call(port(), "GET", "/v1/orgs/current/members", {}, b.access);
  ASSERT_EQ(list_b.status, 200);
  EXPECT_EQ(list_b.body.find(member_a.id), std::string::npos);
  EXPECT_EQ(list_b.body.find(a.id), std::string::npos);
  // A user without an organization, an unknown id, a malformed id: 404.
  auto loner = register_account(port());
  EXPECT_EQ(call(port(), "PATCH", "/v1/orgs/current/members/" + loner.id, obj({{"role", "user"}}),
                 a.access)
                .status,
            404);
  EXPECT_EQ(call(port(), "PATCH", "/v1/orgs/current/members/00000000-0000-4000-8000-000000000000",
                 obj({{"role", "user"}}), a.access)
                .status,
            404);
  EXPECT_EQ(call(port(), "PATCH", "/v1/orgs/current/members/not-a-uuid", obj({{"role", "user"}}),
                 a.access)
                .status,
            404);
  // The member's own view reflects the new role.
  EXPECT_EQ(field(call(port(), "GET", "/v1/auth/me", {}, member_a.access), "/user/role"),
            "counselor");
}

} // namespace
} // namespace haven::test::auth
