"""Header of a Salesforce Data Loader lead export, shared by the intake tests."""

SF_HEADER = "FirstName,LastName,Company,Email,Phone,Title,LeadSource,Status,Industry,NumberOfEmployees,Country,State,City,Website,CreatedDate"
