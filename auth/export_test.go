package auth

// BcryptsForTest returns how many bcrypt comparisons p has made.
func BcryptsForTest(p *LinkPasswords) int64 { return p.bcrypts.Load() }
