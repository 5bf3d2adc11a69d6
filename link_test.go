package shortener

import "testing"

func TestLinkPermissions(t *testing.T) {
	owner := &User{ID: "owner", Role: RoleUser}
	other := &User{ID: "other", Role: RoleUser}
	admin := &User{ID: "admin", Role: RoleAdmin}
	ownerID := owner.ID
	tests := []struct {
		name                 string
		link                 Link
		caller               *User
		wantRead, wantManage bool
	}{
		{"owner, private", Link{OwnerID: &ownerID}, owner, true, true},
		{"other, private", Link{OwnerID: &ownerID}, other, false, false},
		{"other, public", Link{OwnerID: &ownerID, IsPublic: true}, other, true, false},
		{"anonymous, public", Link{OwnerID: &ownerID, IsPublic: true}, nil, true, false},
		{"anonymous, private", Link{OwnerID: &ownerID}, nil, false, false},
		{"admin, private", Link{OwnerID: &ownerID}, admin, true, true},
		{"ownerless link, user", Link{IsPublic: true}, owner, true, false},
		{"ownerless link, admin", Link{}, admin, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.link.ReadableBy(tt.caller); got != tt.wantRead {
				t.Errorf("ReadableBy = %v, want %v", got, tt.wantRead)
			}
			if got := tt.link.ManageableBy(tt.caller); got != tt.wantManage {
				t.Errorf("ManageableBy = %v, want %v", got, tt.wantManage)
			}
		})
	}
}

func TestShortURL(t *testing.T) {
	tests := []struct{ base, want string }{
		{"https://sho.rt", "https://sho.rt/abc"},
		{"https://sho.rt/", "https://sho.rt/abc"},
		{"https://sho.rt//", "https://sho.rt/abc"},
		{"http://localhost:8000/s", "http://localhost:8000/s/abc"},
	}
	for _, tt := range tests {
		if got := ShortURL(tt.base, "abc"); got != tt.want {
			t.Errorf("ShortURL(%q, abc) = %q, want %q", tt.base, got, tt.want)
		}
	}
}
