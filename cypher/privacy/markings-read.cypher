// Current markings of shared indicators ("ind:<token>"): the TLP of the identifier behind the token.
UNWIND $refs AS ref
MATCH (t:PrivacyOwnToken {token: substring(ref, 4)})<-[:TOKENIZED_AS]-(i:Identifier)
RETURN ref, coalesce(i.tlp, $defaultTlp) AS tlp, coalesce(i.audiences, []) AS audiences
