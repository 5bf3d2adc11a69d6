package httpapi

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/shortener-dev/shortener"
	"github.com/shortener-dev/shortener/auth"
)

// UserBody is the User object of the API.
type UserBody struct {
	ID         string    `json:"id" format:"uuid"`
	Email      string    `json:"email"`
	FullName   *string   `json:"full_name"`
	Role       string    `json:"role" enum:"user,admin"`
	IsActive   bool      `json:"is_active"`
	IsVerified bool      `json:"is_verified"`
	CreatedAt  time.Time `json:"created_at"`
}

func userBody(u *shortener.User) UserBody {
	b := UserBody{ID: u.ID, Email: u.Email, Role: u.Role, IsActive: u.IsActive, IsVerified: u.IsVerified, CreatedAt: u.CreatedAt.UTC()}
	if u.FullName != "" {
		b.FullName = &u.FullName
	}
	return b
}

// TokenPairBody is what login and refresh answer.
type TokenPairBody struct {
	AccessToken  string `json:"access_token"`
	RefreshToken string `json:"refresh_token"`
	TokenType    string `json:"token_type" enum:"bearer"`
	ExpiresIn    int    `json:"expires_in" doc:"Lifetime of the access token in seconds."`
}

func tokenPairBody(p *auth.TokenPair) TokenPairBody {
	return TokenPairBody{AccessToken: p.AccessToken, RefreshToken: p.RefreshToken, TokenType: "bearer", ExpiresIn: int(p.ExpiresIn / time.Second)}
}

type registerInput struct {
	Body struct {
		Email    string  `json:"email" doc:"Unique, compared case-insensitively."`
		Password string  `json:"password" doc:"8-128 characters with an upper-case letter and a digit."`
		FullName *string `json:"full_name,omitempty" nullable:"true" doc:"null: no name."`
	}
}

type userOutput struct{ Body UserBody }

type loginInput struct {
	UserAgent string `header:"User-Agent"`
	Body      struct {
		Email    string `json:"email"`
		Password string `json:"password"`
	}
}

type refreshInput struct {
	UserAgent string `header:"User-Agent"`
	Body      struct {
		RefreshToken string `json:"refresh_token"`
	}
}

type tokenOutput struct{ Body TokenPairBody }

type updateMeInput struct {
	Body struct {
		FullName        Nullable[string] `json:"full_name,omitempty" doc:"null clears the name."`
		Password        *string          `json:"password,omitempty" doc:"A new password: 8-128 characters with an upper-case letter and a digit. Needs current_password; ends the user's other logins."`
		CurrentPassword *string          `json:"current_password,omitempty" doc:"The password now, to set a new one."`
	}
}

var bearerSecurity = []map[string][]string{{"bearer": {}}}

func (s *Server) registerAuth(api huma.API) {
	registerOp(api, shortener.RateRegister, accessTokenOnly, huma.Operation{
		OperationID: "register", Method: http.MethodPost, Path: "/api/v1/auth/register", Tags: []string{"auth"},
		Summary: "Create an account", DefaultStatus: http.StatusCreated, MaxBodyBytes: s.humaMaxBody,
		Errors: []int{409, 422, 429},
	}, func(ctx context.Context, in *registerInput) (*userOutput, error) {
		fullName := ""
		if in.Body.FullName != nil {
			fullName = *in.Body.FullName
		}
		u, err := s.accounts.Register(ctx, in.Body.Email, in.Body.Password, fullName)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &userOutput{Body: userBody(u)}, nil
	})

	registerOp(api, shortener.RateLogin, accessTokenOnly, huma.Operation{
		OperationID: "login", Method: http.MethodPost, Path: "/api/v1/auth/login", Tags: []string{"auth"},
		Summary: "Log in and get a token pair", MaxBodyBytes: s.humaMaxBody, Errors: []int{401, 422, 429},
	}, func(ctx context.Context, in *loginInput) (*tokenOutput, error) {
		pair, err := s.accounts.Login(ctx, in.Body.Email, in.Body.Password, s.client(ctx, in.UserAgent))
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &tokenOutput{Body: tokenPairBody(pair)}, nil
	})

	registerOp(api, shortener.RateGeneral, accessTokenOnly, huma.Operation{
		OperationID: "refresh", Method: http.MethodPost, Path: "/api/v1/auth/refresh", Tags: []string{"auth"},
		Summary:      "Rotate a refresh token",
		Description:  "The presented refresh token stops working. Presenting an already-rotated token revokes every token of that login.",
		MaxBodyBytes: s.humaMaxBody, Errors: []int{401, 422, 429},
	}, func(ctx context.Context, in *refreshInput) (*tokenOutput, error) {
		pair, err := s.accounts.Refresh(ctx, in.Body.RefreshToken, s.client(ctx, in.UserAgent))
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &tokenOutput{Body: tokenPairBody(pair)}, nil
	})

	registerOp(api, shortener.RateGeneral, accessTokenOnly, huma.Operation{
		OperationID: "logout", Method: http.MethodPost, Path: "/api/v1/auth/logout", Tags: []string{"auth"},
		Summary: "Revoke the login of a refresh token", Description: "Answers 204 for unknown tokens too.",
		DefaultStatus: http.StatusNoContent, MaxBodyBytes: s.humaMaxBody, Errors: []int{422, 429},
	}, func(ctx context.Context, in *refreshInput) (*struct{}, error) {
		if err := s.accounts.Logout(ctx, in.Body.RefreshToken); err != nil {
			return nil, s.fail(ctx, err)
		}
		return nil, nil
	})

	registerOp(api, shortener.RateGeneral, accessTokenOnly, huma.Operation{
		OperationID: "me", Method: http.MethodGet, Path: "/api/v1/auth/me", Tags: []string{"auth"},
		Summary: "The current user", Security: bearerSecurity, Errors: []int{401, 429},
	}, func(ctx context.Context, _ *struct{}) (*userOutput, error) {
		u, err := s.caller(ctx, true)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &userOutput{Body: userBody(u)}, nil
	})
}

// registerUpdateMe registers PATCH /api/v1/auth/me.
func (s *Server) registerUpdateMe(api huma.API) {
	registerOp(api, shortener.RateGeneral, accessTokenOnly, huma.Operation{
		OperationID: "update-me", Method: http.MethodPatch, Path: "/api/v1/auth/me", Tags: []string{"auth"},
		Summary:     "Change your name or password",
		Description: "A new password needs current_password (403 when it is wrong) and ends your other logins; this one stays.",
		Security:    bearerSecurity, MaxBodyBytes: s.humaMaxBody, Errors: []int{401, 403, 422, 429},
	}, func(ctx context.Context, in *updateMeInput) (*userOutput, error) {
		if _, err := s.caller(ctx, true); err != nil {
			return nil, s.fail(ctx, err)
		}
		var change auth.ProfileUpdate
		if in.Body.FullName.Set {
			name := in.Body.FullName.Value // "" when null: no name
			change.FullName = &name
		}
		change.Password = in.Body.Password
		if in.Body.CurrentPassword != nil {
			change.CurrentPassword = *in.Body.CurrentPassword
		}
		u, err := s.accounts.UpdateProfile(ctx, authFrom(ctx).bearer, change)
		if err != nil {
			return nil, s.fail(ctx, err)
		}
		return &userOutput{Body: userBody(u)}, nil
	})
}
